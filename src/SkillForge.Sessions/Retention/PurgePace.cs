namespace SkillForge.Sessions.Retention;

/// <summary>How the purge rests between its batches (<see cref="RetentionPolicy.Pacing"/>).</summary>
public enum PurgePacing
{
    /// <summary>
    /// Rests and narrows its batches in proportion to what chat is experiencing: chat's own turns in this process when
    /// there are enough of them, else PostgreSQL's commit latency as a probe sees it.
    /// </summary>
    Adaptive,

    /// <summary>Always <see cref="RetentionPolicy.PauseBetweenBatches"/>, whatever the load.</summary>
    Fixed,
}

/// <summary>What an adaptive pace measures chat by.</summary>
public enum PaceSignal
{
    /// <summary>Fixed pacing: nothing.</summary>
    None,

    /// <summary>A one-row commit after every batch, against its latency before the run.</summary>
    CommitProbe,

    /// <summary>This process's chat turns while the purge works and rests, against their p99 before the run.</summary>
    ChatTurns,
}

/// <summary>One batch of a run, as the pacing saw it: the benchmark and the run's log show how the pace moved.</summary>
/// <param name="Sessions">The most rows the batch was allowed to take (adaptive pacing narrows it while chat suffers).</param>
/// <param name="Batch">How long the batch took.</param>
/// <param name="Probe">PostgreSQL's commit latency measured right after it (paced by the probe; zero otherwise).</param>
/// <param name="Pause">The rest that followed.</param>
/// <param name="AfterRest">The commit latency at the end of that rest (paced by the probe, when it rested).</param>
/// <param name="Chat">Chat's turns while the batch ran (paced by chat).</param>
/// <param name="ChatDuringRest">Chat's turns during the rest that followed (paced by chat, when it rested).</param>
public readonly record struct PaceStep(int Sessions, TimeSpan Batch, TimeSpan Probe, TimeSpan Pause, TimeSpan? AfterRest = null,
    ChatSample? Chat = null, ChatSample? ChatDuringRest = null);

/// <summary>
/// The adaptive pace, the way online schema-change tools throttle on replica lag: the purge works in bursts and rests
/// after each for a multiple of the burst's length. While chat is quiet the multiple shrinks to nothing and the batches
/// widen (from 100 rows) up to <see cref="RetentionPolicy.BatchSize"/>; each time chat suffers, the multiple doubles and
/// the batch halves, because on a busy machine a long burst hurts the turns it overlaps however long the rest after it.
/// <para>
/// Chat suffers, measured by its own turns (<see cref="PaceSignal.ChatTurns"/>): when this batch had a turn slower
/// than the target (<see cref="RetentionPolicy.PaceTarget"/> times their p99 before the run) and more than
/// <see cref="SlowBudget"/> of the run's turns so far were — the definition of keeping chat's p99 within the target.
/// The purge speeds up only while the run is within that budget and the batch had no slow turn.
/// Measured by the probe (<see cref="PaceSignal.CommitProbe"/>, when this process has too few turns of its own to go
/// by): when the commit after the batch is slower than the target times its latency before the run.
/// </para>
/// <para>
/// Backing off helps only if the purge is what slows chat. A look at the end of each rest says whether resting brought
/// chat back; when it did not (the machine is busy for other reasons, or with the purge's after-effects such as
/// autovacuum), suffering shortens the rest instead of doubling it: resting longer would only slow the purge.
/// </para>
/// </summary>
public sealed class PurgePace
{
    /// <summary>Below this, latency is noise on any machine: a target is never tighter than baseline plus this.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(0.5);

    /// <summary>Paced by chat: the share of the run's turns allowed to be slower than the target.</summary>
    public const double SlowBudget = 0.01;

    private const double StartMultiple = 1;
    private const double MaxMultiple = 256;
    private const double SpeedUp = 0.7;
    private const int NarrowestBatch = 10;

    // An adaptive run starts with narrow batches and widens them while chat stays quiet, like TCP's slow start: its
    // first burst does not land at full size on a machine that is already busy.
    private const int FirstAdaptiveBatch = 100;

    private readonly RetentionPolicy _policy;
    private readonly List<PaceStep> _steps = [];
    private double _multiple = StartMultiple;
    private bool? _restHelped; // null until a rest since the last batch was looked at
    private ChatSample _run;

    /// <param name="baseline">What the signal measured before the run; null for fixed pacing.</param>
    /// <param name="signal">What <paramref name="baseline"/> is, and what the pace goes by during the run.</param>
    public PurgePace(RetentionPolicy policy, TimeSpan? baseline, PaceSignal signal = PaceSignal.CommitProbe)
    {
        _policy = policy;
        Baseline = baseline;
        Signal = baseline is null ? PaceSignal.None : signal;
        BatchSize = baseline is null ? policy.BatchSize : Math.Min(policy.BatchSize, FirstAdaptiveBatch);
        if (baseline is { } b)
        {
            Target = b * policy.PaceTarget > b + Slack ? b * policy.PaceTarget : b + Slack;
        }
    }

    /// <summary>What chat was paying before the purge began (see <see cref="Signal"/>); null when fixed.</summary>
    public TimeSpan? Baseline { get; }

    /// <summary>The latency above which chat counts as suffering (adaptive pacing).</summary>
    public TimeSpan Target { get; }

    public PaceSignal Signal { get; }

    public bool IsAdaptive => Baseline is not null;

    /// <summary>The most rows the next batch may take.</summary>
    public int BatchSize { get; private set; }

    /// <summary>Every batch so far, in order.</summary>
    public IReadOnlyList<PaceStep> Steps => _steps;

    /// <summary>How many times chat was seen suffering and the purge backed off.</summary>
    public int BackOffs { get; private set; }

    /// <summary>How many times chat suffered after a rest that had not brought it back, so the purge did not back off.</summary>
    public int NotCuredByResting { get; private set; }

    /// <summary>Paced by chat: its turns during the whole run so far, and how many were slower than the target.</summary>
    public ChatSample RunChat => _run;

    /// <summary>The probe at the end of a rest: whether resting brought the commits back within the target.</summary>
    public void AfterRest(TimeSpan probe)
    {
        _restHelped = probe <= Target;
        if (_steps.Count > 0)
        {
            _steps[^1] = _steps[^1] with { AfterRest = probe };
        }
    }

    /// <summary>Chat's turns during a rest: whether resting kept them within the budget.</summary>
    public void AfterRest(ChatSample chat)
    {
        _run += chat;
        _restHelped = chat.Slow <= SlowBudget * chat.Turns;
        if (_steps.Count > 0)
        {
            _steps[^1] = _steps[^1] with { ChatDuringRest = chat };
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
            _steps.Add(new PaceStep(BatchSize, batch, TimeSpan.Zero, _policy.PauseBetweenBatches));
            return _policy.PauseBetweenBatches;
        }
        return Decide(new PaceStep(BatchSize, batch, probe, TimeSpan.Zero), probe > Target ? Chat.Suffering : Chat.Quiet);
    }

    /// <summary>The rest after a batch that took <paramref name="batch"/>, while which chat's turns were <paramref name="chat"/>.</summary>
    public TimeSpan After(TimeSpan batch, ChatSample chat)
    {
        _run += chat;
        var overBudget = _run.Slow > SlowBudget * _run.Turns;
        var verdict = (chat.Slow > 0, overBudget) switch
        {
            (false, false) => Chat.Quiet,
            (true, true) => Chat.Suffering,
            _ => Chat.Steady,
        };
        return Decide(new PaceStep(BatchSize, batch, TimeSpan.Zero, TimeSpan.Zero, Chat: chat), verdict);
    }

    private enum Chat
    {
        Quiet,
        Steady, // some turns were slow but the run can afford them, or none were while the run is still over its budget
        Suffering,
    }

    private TimeSpan Decide(PaceStep step, Chat chat)
    {
        var restHelped = _restHelped;
        _restHelped = null;
        switch (chat)
        {
            case Chat.Suffering when restHelped == false:
                _multiple *= SpeedUp;
                NotCuredByResting++;
                break;
            case Chat.Suffering:
                _multiple = Math.Min(MaxMultiple, Math.Max(_multiple, 0.25) * 2);
                BatchSize = Math.Max(Math.Min(NarrowestBatch, _policy.BatchSize), BatchSize / 2);
                BackOffs++;
                break;
            case Chat.Quiet:
                // Down to no rest at all while chat is quiet: below this the pause would round to nothing anyway.
                _multiple = _multiple < 0.05 ? 0 : _multiple * SpeedUp;
                BatchSize = Math.Min(_policy.BatchSize, BatchSize + Math.Max(1, BatchSize / 2));
                break;
        }
        // Whole milliseconds, as timers wait: the report then says exactly what was rested.
        var pause = TimeSpan.FromMilliseconds(Math.Floor((step.Batch * _multiple).TotalMilliseconds));
        if (pause > _policy.MaxPauseBetweenBatches)
        {
            pause = _policy.MaxPauseBetweenBatches;
        }
        _steps.Add(step with { Pause = pause });
        return pause;
    }
}
