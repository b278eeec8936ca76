namespace SkillForge.Contracts;

/// <summary>A page of a user's sessions, latest activity first.</summary>
/// <param name="NextCursor">Opaque: pass it back as <see cref="ListUserSessions.Cursor"/> for the next page; null on the last.</param>
public sealed record UserSessionList(
    string TenantId,
    string UserId,
    IReadOnlyList<UserSessionSummary> Sessions,
    string? NextCursor);
