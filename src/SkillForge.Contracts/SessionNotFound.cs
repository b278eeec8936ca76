namespace SkillForge.Contracts;

/// <summary>No session with these ids exists for this tenant.</summary>
public sealed record SessionNotFound(
    string TenantId,
    string SessionId);
