using Microsoft.Extensions.Logging;

namespace SkillForge.Sessions.Storage;

// Dapper materialises these plain rows (timestamptz arrives as a UTC DateTime); the public records are built
// from them here, where a row that cannot be read becomes a CorruptSessionException instead of a crash.

internal sealed class SessionRow
{
    public string TenantId { get; init; } = "";
    public string SessionId { get; init; } = "";
    public string State { get; init; } = "";
    public string Status { get; init; } = "";
    public string? SkillName { get; init; }
    public string ContextJson { get; init; } = "";
    public string? ContextType { get; init; }
    public long Version { get; init; }
    public int MessageCount { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }
    public string? UserId { get; init; }

    public StoredSession ToSession(SessionKey key, IReadOnlyList<StoredMessage> messages, ILogger logger)
    {
        string? problem = null;
        if (ContextType != "object")
        {
            problem = $"its context is a JSON {ContextType ?? "null"}, not an object";
        }
        else if (!SessionStatus.IsKnown(Status))
        {
            problem = $"its status '{Status}' is unknown";
        }
        else if (string.IsNullOrWhiteSpace(State))
        {
            problem = "its agent state is empty";
        }
        if (problem is not null)
        {
            StoreLog.CorruptSession(logger, key.TenantId, key.SessionId, problem);
            throw new CorruptSessionException(key, problem);
        }
        return new StoredSession(key, State, Status, SkillName, ContextJson, Version, MessageCount,
            AsUtc(CreatedAt), AsUtc(UpdatedAt), messages)
        { UserId = UserId };
    }

    internal static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}

internal sealed class MessageRow
{
    public long Seq { get; init; }
    public string Role { get; init; } = "";
    public string Content { get; init; } = "";
    public Guid TurnId { get; init; }
    public DateTime CreatedAt { get; init; }

    public StoredMessage ToMessage() => new(Seq, Role, Content, TurnId, SessionRow.AsUtc(CreatedAt));
}

internal sealed class SummaryRow
{
    public string SessionId { get; init; } = "";
    public string State { get; init; } = "";
    public string Status { get; init; } = "";
    public string? SkillName { get; init; }
    public long Version { get; init; }
    public int MessageCount { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime LastActivityAt { get; init; }

    public SessionSummary ToSummary() => new(SessionId, State, Status, SkillName, Version, MessageCount,
        SessionRow.AsUtc(CreatedAt), SessionRow.AsUtc(LastActivityAt));
}

internal sealed class AppendedRow
{
    public long Version { get; init; }
    public int MessageCount { get; init; }
}

internal static partial class StoreLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error,
        Message = "Session {TenantId}/{SessionId} is corrupt and cannot be loaded: {Problem}")]
    public static partial void CorruptSession(ILogger logger, string tenantId, string sessionId, string problem);
}

internal sealed class ExportRow
{
    public string? UserId { get; init; }
    public string State { get; init; } = "";
    public string Status { get; init; } = "";
    public string? SkillName { get; init; }
    public string? SkillDescription { get; init; }
    public string ContextJson { get; init; } = "";
    public int MessageCount { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime LastActivityAt { get; init; }
    public DateTime? CompletedAt { get; init; }
    public DateTime? AbandonedAt { get; init; }
}

internal sealed class ChangeRow
{
    public string Kind { get; init; } = "";
    public string? From { get; init; }
    public string? To { get; init; }
    public DateTime At { get; init; }
}
