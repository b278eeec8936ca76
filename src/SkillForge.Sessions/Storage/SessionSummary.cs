namespace SkillForge.Sessions.Storage;

/// <summary>A session as listed for its tenant.</summary>
public sealed record SessionSummary(
    string SessionId,
    string State,
    string Status,
    string? SkillName,
    long Version,
    int MessageCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt);
