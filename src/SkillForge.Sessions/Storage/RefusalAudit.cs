using Dapper;
using SkillForge.Sessions.Hosting;

namespace SkillForge.Sessions.Storage;

/// <summary>Records a message the worker refused to act on: ids and a reason code, never its content.</summary>
public sealed class RefusalAudit(SessionDatabase database, TimeProvider clock)
{
    /// <summary>Longest sender name kept: broker user names are short, and the column must not become a store.</summary>
    public const int MaxSenderLength = 128;

    private const string Insert = """
        INSERT INTO refused_messages (occurred_at, message_type, message_id, sender, reason)
        VALUES (@At, @MessageType, @MessageId, @Sender, @Reason)
        """;

    public async Task RecordAsync(string messageType, Guid? messageId, string? sender, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            At = clock.GetUtcNow(),
            MessageType = messageType,
            MessageId = messageId,
            Sender = sender is { Length: > MaxSenderLength } ? sender[..MaxSenderLength] : sender,
            Reason = reason,
        }, cancellationToken: cancellationToken));
    }
}
