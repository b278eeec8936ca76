namespace SkillForge.Contracts.Operations;

/// <summary>
/// An operator's request for a page of a tenant's sessions, ordered by session id; not part of the upstream contract.
/// Answered with <see cref="SessionList"/> or <see cref="ListSessionsRejected"/>.
/// </summary>
/// <param name="Status"><c>active</c>, <c>completed</c>, <c>abandoned</c>, or null for all.</param>
/// <param name="AfterSessionId">Keyset paging: only sessions whose id sorts after this one.</param>
/// <param name="Limit">1–1000.</param>
public sealed record ListSessions(
    string TenantId,
    string? Status,
    string? AfterSessionId,
    int Limit = 50);
