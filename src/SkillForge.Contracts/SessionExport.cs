namespace SkillForge.Contracts;

/// <summary>What is held about a session besides its messages.</summary>
/// <param name="SkillMd">The generated SKILL.md, once there is one.</param>
/// <param name="Context">The agent's gathered fields as a JSON document.</param>
/// <param name="Events">Its status and state changes, oldest first.</param>
public sealed record SessionExport(
    string TenantId,
    string SessionId,
    string? UserId,
    string State,
    string Status,
    string? SkillName,
    string? SkillDescription,
    string? SkillMd,
    string Context,
    int MessageCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? AbandonedAt,
    IReadOnlyList<SessionEvent> Events);
