namespace SkillForge.Contracts.Operations;

/// <summary>A page of a tenant's sessions, the answer to <see cref="ListSessions"/>.</summary>
/// <param name="NextAfter">The <c>AfterSessionId</c> of the next page, or null when this page was the last.</param>
public sealed record SessionList(
    string TenantId,
    IReadOnlyList<SessionListItem> Sessions,
    string? NextAfter);
