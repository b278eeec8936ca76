namespace SkillForge.Client.Operations;

// Operator messages: not part of the upstream wire contract (SkillForge.Contracts, DESIGN.md §3), which stays exactly
// as designed. The CLI and other operator tools use them to ask the worker rather than read its database.

/// <summary>A page of a tenant's sessions, ordered by session id. Answered with <see cref="SessionList"/> or <see cref="ListSessionsRejected"/>.</summary>
/// <param name="Status"><c>active</c>, <c>completed</c>, <c>abandoned</c>, or null for all.</param>
/// <param name="AfterSessionId">Keyset paging: only sessions whose id sorts after this one.</param>
/// <param name="Limit">1–1000.</param>
public sealed record ListSessions(
    string TenantId,
    string? Status,
    string? AfterSessionId,
    int Limit = 50);

/// <param name="NextAfter">The <c>AfterSessionId</c> of the next page, or null when this page was the last.</param>
public sealed record SessionList(
    string TenantId,
    IReadOnlyList<SessionListItem> Sessions,
    string? NextAfter);

public sealed record SessionListItem(
    string SessionId,
    string State,
    string Status,
    string? SkillName,
    long Version,
    int MessageCount,
    DateTimeOffset LastActivityAt);

/// <summary>A <see cref="ListSessions"/> with bad input: <c>invalid_request</c> and what is wrong.</summary>
public sealed record ListSessionsRejected(
    string TenantId,
    string Code,
    string Reason);
