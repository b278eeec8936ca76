namespace SkillForge.Contracts;

/// <summary>Erases a session everywhere (right to erasure). Answered with <see cref="SessionErased"/>.</summary>
/// <param name="Reason">Why, kept in the audit trail (no content).</param>
public sealed record EraseSession(
    string TenantId,
    string SessionId,
    string? Reason);
