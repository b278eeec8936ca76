namespace SkillForge.Sessions.Retention;

/// <summary>What one cleanup run did (or, in a dry run, would do).</summary>
/// <param name="DeletedAuditLines">Audit lines past <see cref="RetentionPolicy.DeleteAuditAfter"/> (not on the wire:
/// <c>SessionsCleanedUp</c> is part of the wire contract; the summary log line and the metrics carry it).</param>
public sealed record CleanupReport(DateTimeOffset AsOf, bool DryRun, int MarkedAbandoned, int DeletedSessions, long DeletedMessages,
    long DeletedAuditLines, TimeSpan Duration)
{
    /// <summary>Sessions past their retention that a legal hold kept.</summary>
    public int KeptByHold { get; init; }
}
