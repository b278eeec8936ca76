namespace SkillForge.Contracts.Operations;

/// <summary>One legal hold. <see cref="ReleasedAt"/> is null while it is in force.</summary>
public sealed record LegalHoldInfo(
    long Id,
    string TenantId,
    string? SessionId,
    string? UserId,
    string Reason,
    string PlacedBy,
    DateTimeOffset PlacedAt,
    string? ReleasedBy,
    DateTimeOffset? ReleasedAt);
