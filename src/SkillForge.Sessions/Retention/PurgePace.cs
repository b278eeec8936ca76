namespace SkillForge.Sessions.Retention;

/// <summary>How the purge rests between its batches (<see cref="RetentionPolicy.Pacing"/>).</summary>
public enum PurgePacing
{
    /// <summary>
    /// Rests in proportion to what chat is experiencing: longer while PostgreSQL's commit latency is above its level
    /// before the run, shorter (down to none) while it is not.
    /// </summary>
    Adaptive,

    /// <summary>Always <see cref="RetentionPolicy.PauseBetweenBatches"/>, whatever the load.</summary>
    Fixed,
}

/// <summary>One batch of a run, as the pacing saw it: the benchmark and the run's log show how the pace moved.</summary>
/// <param name="Batch">How long the batch took.</param>
/// <param name="Probe">PostgreSQL's commit latency measured right after it (zero with fixed pacing).</param>
/// <param name="Pause">The rest that followed.</param>
/// <param name="AfterRest">The commit latency at the end of that rest (adaptive pacing, when it rested).</param>
public readonly record struct PaceStep(TimeSpan Batch, TimeSpan Probe, TimeSpan Pause, TimeSpan? AfterRest = null);

/// <summary>
/// The adaptive pace, the way online schema-change tools throttle on replica lag: the purge works in bursts and
/// rests after each for a multiple of the burst's length. After every batch a probe measures PostgreSQL's commit
/// latency, which every chat turn pays; while it stays within <see cref="RetentionPolicy.PaceTarget"/> times its level
/// before the run, the multiple shrinks (the purge speeds up), and each time it does not, the multiple doubles. A
/// fixed pause cannot know how busy the cores already are; this measures it.
/// <para>
/// Backing off helps only if the purge is what slows the commits. A probe at the end of each rest says whether resting
/// brought them back; when it did not (the machine is busy for other reasons, or with the purge's after-effects such
/// as autovacuum), a slow probe shortens the rest instead of doubling it: resting longer would only slow the purge.
/// </para>
/// </summary>
public sealed class PurgePace
{
    /// <summary>Below this, commit latency is noise on any machine: a target is never tighter than baseline plus this.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(0.5);

    private const double StartMultiple = 1;
    private const double MaxMultiple = 32;
    private const double SpeedUp = 0.7;

    private readonly RetentionPolicy _policy;
    private readonly List<PaceStep> _steps = [];
    private double _multiple = StartMultiple;
    private bool? _restHelped; // null until a rest since the last batch was probed

    /// <param name="baseline">PostgreSQL's commit latency before the run; null for fixed pacing.</param>
    public PurgePace(RetentionPolicy policy, TimeSpan? baseline)
    {
        _policy = policy;
        Baseline = baseline;
        if (baseline is { } b)
        {
            Target = b * policy.PaceTarget > b + Slack ? b * policy.PaceTarget : b + Slack;
        }
    }

    /// <summary>PostgreSQL's commit latency before the run, what chat was paying before the purge began; null when fixed.</summary>
    public TimeSpan? Baseline { get; }

    /// <summary>The commit latency above which the purge backs off (adaptive pacing).</summary>
    public TimeSpan Target { get; }

    public bool IsAdaptive => Baseline is not null;

    /// <summary>Every batch so far, in order.</summary>
    public IReadOnlyList<PaceStep> Steps => _steps;

    /// <summary>How many times chat was seen suffering and the purge backed off.</summary>
    public int BackOffs { get; private set; }

    /// <summary>How many slow probes came after a rest that had not brought the commits back, so the purge did not back off.</summary>
    public int NotCuredByResting { get; private set; }

    /// <summary>The probe at the end of a rest: whether resting brought the commits back within the target.</summary>
    public void AfterRest(TimeSpan probe)
    {
        _restHelped = probe <= Target;
        if (_steps.Count > 0)
        {
            _steps[^1] = _steps[^1] with { AfterRest = probe };
        }
    }

    /// <summary>
    /// The rest after a batch that took <paramref name="batch"/>, followed by a commit that took <paramref name="probe"/>
    /// (not measured, and ignored, with fixed pacing).
    /// </summary>
    public TimeSpan After(TimeSpan batch, TimeSpan probe)
    {
        if (!IsAdaptive)
        {
            _steps.Add(new PaceStep(batch, TimeSpan.Zero, _policy.PauseBetweenBatches));
            return _policy.PauseBetweenBatches;
        }
        var restHelped = _restHelped;
        _restHelped = null;
        if (probe > Target && restHelped == false)
        {
            _multiple *= SpeedUp;
            NotCuredByResting++;
        }
        else if (probe > Target)
        {
            _multiple = Math.Min(MaxMultiple, Math.Max(_multiple, 0.25) * 2);
            BackOffs++;
        }
        else
        {
            // Down to no rest at all while chat is quiet: below this the pause would round to nothing anyway.
            _multiple = _multiple < 0.05 ? 0 : _multiple * SpeedUp;
        }
        // Whole milliseconds, as timers wait: the report then says exactly what was rested.
        var pause = TimeSpan.FromMilliseconds(Math.Floor((batch * _multiple).TotalMilliseconds));
        if (pause > _policy.MaxPauseBetweenBatches)
        {
            pause = _policy.MaxPauseBetweenBatches;
        }
        _steps.Add(new PaceStep(batch, probe, pause));
        return pause;
    }
}
