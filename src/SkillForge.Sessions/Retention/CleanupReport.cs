namespace SkillForge.Sessions.Retention;

/// <summary>What one cleanup run did (or, in a dry run, would do).</summary>
/// <param name="DeletedAuditLines">Audit lines past <see cref="RetentionPolicy.DeleteAuditAfter"/> (not on the wire:
/// <c>SessionsCleanedUp</c> is part of the wire contract; the summary log line and the metrics carry it).</param>
public sealed record CleanupReport(DateTimeOffset AsOf, bool DryRun, int MarkedAbandoned, int DeletedSessions, long DeletedMessages,
    long DeletedAuditLines, TimeSpan Duration)
{
    /// <summary>Sessions past their retention that a legal hold kept.</summary>
    public int KeptByHold { get; init; }

    /// <summary>Each batch with what chat was seen paying during it and the rest it was given, in order: how the pace moved.</summary>
    public IReadOnlyList<PaceStep> Pace { get; init; } = [];

    /// <summary>What the pace went by (<see cref="PaceSignal.None"/> when fixed).</summary>
    public PaceSignal PacedBy { get; init; }

    /// <summary>
    /// With adaptive pacing, chat's latency before the run: its turns' p99 (<see cref="PaceSignal.ChatTurns"/>) or a
    /// one-row commit's (<see cref="PaceSignal.CommitProbe"/>).
    /// </summary>
    public TimeSpan? PaceBaseline { get; init; }

    /// <summary>The latency above which chat counted as suffering, with adaptive pacing.</summary>
    public TimeSpan? PaceTarget { get; init; }

    /// <summary>Paced by chat: its turns during the run, and how many were slower than <see cref="PaceTarget"/>.</summary>
    public ChatSample PaceChat { get; init; }
}
