namespace SkillForge.Contracts.Operations;

/// <summary>One session of a <see cref="SessionList"/>.</summary>
public sealed record SessionListItem(
    string SessionId,
    string State,
    string Status,
    string? SkillName,
    long Version,
    int MessageCount,
    DateTimeOffset LastActivityAt);
