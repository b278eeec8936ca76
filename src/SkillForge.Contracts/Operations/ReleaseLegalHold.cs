namespace SkillForge.Contracts.Operations;

/// <summary>Releases the hold in force on a scope. Answered with <see cref="LegalHoldReleased"/> or <see cref="OperatorRequestRejected"/>.</summary>
public sealed record ReleaseLegalHold(
    string TenantId,
    string? SessionId,
    string? UserId,
    string ReleasedBy);
