using System.ComponentModel.DataAnnotations;

namespace SkillForge.Sessions.Retention;

/// <summary>
/// The product's retention policy, bound from the <c>Retention</c> section. Every cutoff is
/// exclusive: a session exactly at a cutoff is kept.
/// </summary>
public sealed class RetentionPolicy
{
    public const string Section = "Retention";

    /// <summary>An active session with no activity for this long becomes abandoned, whatever its agent state.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan AbandonAfterIdle { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A completed session is deleted with its messages this long after completion (kept for audit).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan DeleteCompletedAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>An abandoned session is deleted with its messages this long after it was marked abandoned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan DeleteAbandonedAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// An audit line is deleted this long after it occurred (the audit would otherwise grow for good). The default
    /// keeps a year: a purged session's lines outlive its 90 days of retention by far.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "36500.00:00:00")]
    public TimeSpan DeleteAuditAfter { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Sessions per transaction, at most: each batch is short, so chat turns never queue behind a long delete. Adaptive
    /// pacing starts narrower and narrows further while chat suffers (<see cref="PurgePace"/>).
    /// </summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 2_000;

    /// <summary>
    /// How the purge paces itself: <see cref="PurgePacing.Adaptive"/> (the default) from what chat is experiencing,
    /// or <see cref="PurgePacing.Fixed"/> at <see cref="PauseBetweenBatches"/>.
    /// </summary>
    public PurgePacing Pacing { get; set; } = PurgePacing.Adaptive;

    /// <summary>
    /// Adaptive pacing: a chat turn (or, without enough of them, a probe's commit) above this multiple of its level
    /// before the run counts as slow (never tighter than half a millisecond above it); the purge backs off while more
    /// than 1% of chat's turns during the run are.
    /// </summary>
    [Range(1.0, 10.0)]
    public double PaceTarget { get; set; } = 1.25;

    /// <summary>Adaptive pacing: the longest rest after one batch, however much chat suffers.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan MaxPauseBetweenBatches { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Fixed pacing: the rest between purge batches, leaving the CPU to chat turns for a moment: the purge goes slower,
    /// chat latency during it stays closer to normal, but how much closer depends on how busy the cores already are.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PauseBetweenBatches { get; set; } = TimeSpan.FromMilliseconds(10);
}
