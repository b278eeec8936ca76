namespace SkillForge.Contracts;

/// <summary>One session in a <see cref="UserSessionList"/>.</summary>
public sealed record UserSessionSummary(
    string SessionId,
    string State,
    string Status,
    string? SkillName,
    int MessageCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt);
