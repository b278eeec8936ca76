namespace SkillForge.Contracts.Operations;

/// <summary>Returns a tenant to the product's periods. Answered with <see cref="TenantRetentionShown"/> or <see cref="OperatorRequestRejected"/>.</summary>
public sealed record ClearTenantRetention(
    string TenantId,
    string ChangedBy);
