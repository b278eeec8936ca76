namespace SkillForge.Contracts.Operations;

/// <summary>
/// Sets a tenant's own retention periods, an operator request. A period left null keeps its value (the product's, if
/// the tenant never set it). Each is between 1 day and 3,650 days. Answered with <see cref="TenantRetentionShown"/> or
/// <see cref="OperatorRequestRejected"/>.
/// </summary>
/// <param name="AbandonAfterIdle">An active session idle this long becomes abandoned.</param>
/// <param name="DeleteCompletedAfter">A completed session is deleted this long after completion.</param>
/// <param name="DeleteAbandonedAfter">An abandoned session is deleted this long after it was marked.</param>
/// <param name="DeleteAuditAfter">An audit line of the tenant is deleted this long after it occurred.</param>
/// <param name="ChangedBy">Who asked for it, as the operator names them; the audit adds the broker user that sent it.</param>
public sealed record SetTenantRetention(
    string TenantId,
    TimeSpan? AbandonAfterIdle,
    TimeSpan? DeleteCompletedAfter,
    TimeSpan? DeleteAbandonedAfter,
    TimeSpan? DeleteAuditAfter,
    string ChangedBy);
