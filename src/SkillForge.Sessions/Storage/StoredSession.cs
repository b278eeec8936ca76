namespace SkillForge.Sessions.Storage;

/// <summary>
/// A session as the next turn needs it: the row, its opaque context document and the latest messages
/// (oldest first, at most the configured window).
/// </summary>
public sealed record StoredSession(
    SessionKey Key,
    string State,
    string Status,
    string? SkillName,
    string ContextJson,
    long Version,
    int MessageCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<StoredMessage> RecentMessages)
{
    /// <summary>The user the session belongs to: the first turn that named one set it; null while none has.</summary>
    public string? UserId { get; init; }
}
