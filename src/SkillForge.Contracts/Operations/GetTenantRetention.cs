namespace SkillForge.Contracts.Operations;

/// <summary>The periods a tenant's sessions live by. Answered with <see cref="TenantRetentionShown"/> or <see cref="OperatorRequestRejected"/>.</summary>
public sealed record GetTenantRetention(
    string TenantId);
