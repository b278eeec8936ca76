namespace SkillForge.Contracts;

/// <summary>
/// A page of one user's sessions within one tenant, latest activity first. Answered with <see cref="UserSessionList"/>;
/// ids that cannot exist, or a cursor this worker did not issue, give an empty list.
/// </summary>
/// <param name="Status">Only sessions in this status (<c>active</c>, <c>completed</c>, <c>abandoned</c>); null for all.</param>
/// <param name="Cursor">The <see cref="UserSessionList.NextCursor"/> of the previous page; null for the first.</param>
/// <param name="Limit">Sessions per page: default 50, at most 200.</param>
public sealed record ListUserSessions(
    string TenantId,
    string UserId,
    string? Status = null,
    string? Cursor = null,
    int Limit = 50);
