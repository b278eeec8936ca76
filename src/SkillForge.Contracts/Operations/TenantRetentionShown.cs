namespace SkillForge.Contracts.Operations;

/// <summary>The periods in force for a tenant (its own where it set them, else the product's).</summary>
/// <param name="Custom">The tenant has periods of its own; <see cref="ChangedBy"/> and <see cref="ChangedAt"/> say who set them last.</param>
public sealed record TenantRetentionShown(
    string TenantId,
    TimeSpan AbandonAfterIdle,
    TimeSpan DeleteCompletedAfter,
    TimeSpan DeleteAbandonedAfter,
    TimeSpan DeleteAuditAfter,
    bool Custom,
    string? ChangedBy,
    DateTimeOffset? ChangedAt);
