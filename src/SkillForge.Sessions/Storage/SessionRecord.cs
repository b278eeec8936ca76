namespace SkillForge.Sessions.Storage;

/// <summary>Everything the store holds about a session besides its messages: what an export hands its user.</summary>
public sealed record SessionRecord(
    SessionKey Key,
    string? UserId,
    string State,
    string Status,
    string? SkillName,
    string? SkillDescription,
    string ContextJson,
    int MessageCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? AbandonedAt,
    IReadOnlyList<SessionChange> Changes);

/// <summary>An audit line of a session's life: created, a state change or a status change (ids and values only).</summary>
public sealed record SessionChange(string Kind, string? From, string? To, DateTimeOffset At);
