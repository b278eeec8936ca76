namespace SkillForge.Contracts.Operations;

/// <summary>A <see cref="ListSessions"/> with bad input: <c>invalid_request</c> and what is wrong.</summary>
public sealed record ListSessionsRejected(
    string TenantId,
    string Code,
    string Reason);
