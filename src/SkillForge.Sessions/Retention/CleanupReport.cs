namespace SkillForge.Sessions.Retention;

/// <summary>What one cleanup run did (or, in a dry run, would do).</summary>
/// <param name="DeletedAuditLines">Audit lines past <see cref="RetentionPolicy.DeleteAuditAfter"/> (not on the wire:
/// <c>SessionsCleanedUp</c> is part of the wire contract; the summary log line and the metrics carry it).</param>
public sealed record CleanupReport(DateTimeOffset AsOf, bool DryRun, int MarkedAbandoned, int DeletedSessions, long DeletedMessages,
    long DeletedAuditLines, TimeSpan Duration)
{
    /// <summary>Sessions past their retention that a legal hold kept.</summary>
    public int KeptByHold { get; init; }

    /// <summary>Each batch with the probe after it and the rest it was given, in order: how the pace moved.</summary>
    public IReadOnlyList<PaceStep> Pace { get; init; } = [];

    /// <summary>PostgreSQL's commit latency before the run, with adaptive pacing.</summary>
    public TimeSpan? PaceBaseline { get; init; }

    /// <summary>The commit latency above which the run backed off, with adaptive pacing.</summary>
    public TimeSpan? PaceTarget { get; init; }
}
