namespace SkillForge.Contracts;

/// <summary>
/// Erases every session of a user within a tenant, everywhere (right to erasure). Answered with
/// <see cref="UserErased"/>, or <see cref="ErasureRefused"/> when a legal hold covers the user or one of their sessions.
/// </summary>
/// <param name="Reason">Why, kept in the audit trail as a code (no content).</param>
public sealed record EraseUser(
    string TenantId,
    string UserId,
    string? Reason);
