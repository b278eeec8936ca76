using SkillForge.Contracts;

namespace SkillForge.Client;

/// <summary>
/// Everything held about a user's sessions (or one session) in one document: the format of <c>skillforge export</c>,
/// described by <c>docs/export.schema.json</c>.
/// </summary>
/// <param name="Format">Always <see cref="CurrentFormat"/>; a reader checks it before it reads on.</param>
/// <param name="ExportedAt">When the export was read (UTC).</param>
/// <param name="TenantId">The tenant the sessions belong to.</param>
/// <param name="UserId">The user exported, or null for an export of one session.</param>
/// <param name="Sessions">Latest activity first for a user; each with all its messages, oldest first.</param>
public sealed record SkillForgeExport(
    string Format,
    DateTimeOffset ExportedAt,
    string TenantId,
    string? UserId,
    IReadOnlyList<ExportedSession> Sessions)
{
    /// <summary>The export format this version writes (<c>docs/export.schema.json</c> describes it).</summary>
    public const string CurrentFormat = "skillforge-export/1";
}

/// <summary>One session of an export: what is held about it, and its messages, oldest first.</summary>
public sealed record ExportedSession(
    SessionExport Session,
    IReadOnlyList<SessionMessage> Messages);
