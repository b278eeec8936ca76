namespace SkillForge.Contracts;

/// <summary>A page of a session's messages, oldest first, with the session's current state.</summary>
/// <param name="HasMore">Older messages exist before this page (ask again with <c>BeforeSeq</c> = the first Seq).</param>
public sealed record SessionHistory(
    string TenantId,
    string SessionId,
    string State,
    string Status,
    long Version,
    string? SkillName,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<SessionMessage> Messages,
    bool HasMore)
{
    /// <summary>The user the session belongs to (the first turn that named one); null when none has.</summary>
    public string? UserId { get; init; }
}
