namespace SkillForge.Contracts.Operations;

/// <summary>The holds in force, of one tenant or (null) all; released ones too when asked. Answered with <see cref="LegalHoldList"/>.</summary>
public sealed record ListLegalHolds(
    string? TenantId,
    bool IncludeReleased = false);
