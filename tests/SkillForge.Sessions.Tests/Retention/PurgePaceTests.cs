using SkillForge.Sessions.Retention;

namespace SkillForge.Sessions.Tests.Retention;

/// <summary>The adaptive pace on its own: what it does with each probe or look at chat, without a database.</summary>
public sealed class PurgePaceTests
{
    private static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Baseline = TimeSpan.FromMilliseconds(4);

    [Fact]
    public void Should_double_the_rest_each_time_commits_are_slower_than_the_target()
    {
        var pace = new PurgePace(new RetentionPolicy { PaceTarget = 1.25 }, Baseline);
        var slow = TimeSpan.FromMilliseconds(6); // above 4 ms x 1.25

        var pauses = Enumerable.Range(0, 3).Select(_ => pace.After(Batch, slow)).ToList();

        Assert.Equal([Batch * 2, Batch * 4, Batch * 8], pauses);
        Assert.Equal(3, pace.BackOffs);
    }

    [Fact]
    public void Should_shorten_the_rest_to_none_while_commits_stay_within_the_target()
    {
        var pace = new PurgePace(new RetentionPolicy { PaceTarget = 1.25 }, Baseline);
        var quiet = TimeSpan.FromMilliseconds(5); // exactly the target is not suffering

        var pauses = Enumerable.Range(0, 12).Select(_ => pace.After(Batch, quiet)).ToList();

        Assert.True(pauses.Zip(pauses.Skip(1)).All(p => p.Second <= p.First), string.Join(", ", pauses));
        Assert.Equal(TimeSpan.Zero, pauses[^1]);
        Assert.Equal(0, pace.BackOffs);
    }

    [Fact]
    public void Should_back_off_again_from_no_rest_at_the_first_slow_commit()
    {
        var pace = new PurgePace(new RetentionPolicy(), Baseline);
        for (var i = 0; i < 12; i++)
        {
            pace.After(Batch, Baseline);
        }

        Assert.True(pace.After(Batch, TimeSpan.FromMilliseconds(50)) >= Batch / 2);
    }

    [Fact]
    public void Should_shorten_the_rest_instead_when_resting_did_not_bring_the_commits_back()
    {
        var pace = new PurgePace(new RetentionPolicy { PaceTarget = 1.25 }, Baseline);
        var slow = TimeSpan.FromMilliseconds(9);
        var backedOff = pace.After(Batch, slow);

        pace.AfterRest(slow); // still slow after resting: not this purge's doing
        var next = pace.After(Batch, slow);

        Assert.True(next < backedOff, $"{next} after {backedOff}");
        Assert.Equal((1, 1), (pace.BackOffs, pace.NotCuredByResting));
    }

    [Fact]
    public void Should_keep_backing_off_while_resting_does_bring_the_commits_back()
    {
        var pace = new PurgePace(new RetentionPolicy { PaceTarget = 1.25 }, Baseline);
        var slow = TimeSpan.FromMilliseconds(9);
        var backedOff = pace.After(Batch, slow);

        pace.AfterRest(Baseline); // quiet again after the rest: the batches are what slows the commits
        var next = pace.After(Batch, slow);

        Assert.Equal(backedOff * 2, next);
        Assert.Equal((2, 0), (pace.BackOffs, pace.NotCuredByResting));
    }

    [Fact]
    public void Should_never_rest_longer_than_the_policy_allows()
    {
        var pace = new PurgePace(new RetentionPolicy { MaxPauseBetweenBatches = TimeSpan.FromMilliseconds(300) }, Baseline);

        var pauses = Enumerable.Range(0, 10).Select(_ => pace.After(Batch, TimeSpan.FromSeconds(1))).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(300), pauses.Max());
        Assert.Equal(TimeSpan.FromMilliseconds(300), pauses[^1]);
    }

    [Fact]
    public void Should_not_take_sub_millisecond_noise_for_suffering()
    {
        var pace = new PurgePace(new RetentionPolicy { PaceTarget = 1.25 }, TimeSpan.FromMilliseconds(0.2));

        Assert.Equal(TimeSpan.FromMilliseconds(0.7), pace.Target);
        pace.After(Batch, TimeSpan.FromMilliseconds(0.6)); // 3x the baseline, yet within half a millisecond of it
        Assert.Equal(0, pace.BackOffs);
    }

    [Fact]
    public void Should_rest_the_fixed_pause_without_a_baseline_and_record_each_batch()
    {
        var policy = new RetentionPolicy { PauseBetweenBatches = TimeSpan.FromMilliseconds(10) };
        var pace = new PurgePace(policy, baseline: null);

        Assert.Equal(TimeSpan.FromMilliseconds(10), pace.After(Batch, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromMilliseconds(10), pace.After(Batch, TimeSpan.Zero));
        Assert.False(pace.IsAdaptive);
        Assert.Equal(2, pace.Steps.Count);
        Assert.Equal(0, pace.BackOffs);
    }

    private static PurgePace ByChat(RetentionPolicy? policy = null) =>
        new(policy ?? new RetentionPolicy { PaceTarget = 1.25, BatchSize = 2_000 }, Baseline, PaceSignal.ChatTurns);

    [Fact]
    public void Should_back_off_and_halve_the_batch_when_chat_turns_are_slow_beyond_the_budget()
    {
        var pace = ByChat();
        Assert.Equal(100, pace.BatchSize); // an adaptive run starts narrow

        var pause = pace.After(Batch, new ChatSample(Turns: 20, Slow: 2));

        Assert.Equal(Batch * 2, pause);
        Assert.Equal(50, pace.BatchSize);
        Assert.Equal(1, pace.BackOffs);
        Assert.Equal(TimeSpan.FromMilliseconds(5), pace.Target); // 4 ms p99 before the run x 1.25
        Assert.Equal(new ChatSample(20, 2), pace.RunChat);
    }

    [Fact]
    public void Should_spend_the_run_budget_of_slow_turns_before_backing_off()
    {
        var pace = ByChat();
        var first = pace.After(Batch, new ChatSample(Turns: 1_000, Slow: 0));
        var size = pace.BatchSize;

        // One slow turn in 1,020 is within 1%: neither faster nor slower.
        var next = pace.After(Batch, new ChatSample(Turns: 20, Slow: 1));

        Assert.Equal((first, size, 0), (next, pace.BatchSize, pace.BackOffs));
    }

    [Fact]
    public void Should_widen_the_batch_back_to_the_policy_size_while_chat_is_quiet_and_never_below_ten_rows()
    {
        var pace = ByChat();
        for (var i = 0; i < 12; i++)
        {
            pace.After(Batch, new ChatSample(Turns: 10, Slow: 10));
        }
        Assert.Equal(10, pace.BatchSize);

        var sizes = Enumerable.Range(0, 20).Select(_ =>
        {
            pace.After(Batch, new ChatSample(Turns: 10_000, Slow: 0));
            return pace.BatchSize;
        }).ToList();

        Assert.True(sizes.Zip(sizes.Skip(1)).All(s => s.Second >= s.First), string.Join(", ", sizes));
        Assert.Equal(2_000, sizes[^1]);
    }

    [Fact]
    public void Should_not_speed_up_after_a_quiet_batch_while_the_run_is_still_over_its_budget()
    {
        var pace = ByChat();
        var backedOff = pace.After(Batch, new ChatSample(Turns: 10, Slow: 5));
        var size = pace.BatchSize;

        var next = pace.After(Batch, new ChatSample(Turns: 10, Slow: 0)); // 5 of 20 slow so far: still far over 1%

        Assert.Equal((backedOff, size), (next, pace.BatchSize));
    }

    [Fact]
    public void Should_count_turns_during_rests_and_shorten_the_rest_when_resting_did_not_help_chat()
    {
        var pace = ByChat();
        var backedOff = pace.After(Batch, new ChatSample(Turns: 20, Slow: 5));

        pace.AfterRest(new ChatSample(Turns: 50, Slow: 5)); // chat stayed slow while the purge rested
        var next = pace.After(Batch, new ChatSample(Turns: 20, Slow: 5));

        Assert.True(next < backedOff, $"{next} after {backedOff}");
        Assert.Equal((1, 1), (pace.BackOffs, pace.NotCuredByResting));
        Assert.Equal(new ChatSample(90, 15), pace.RunChat);
        Assert.Equal(new ChatSample(50, 5), pace.Steps[0].ChatDuringRest);
    }

    [Fact]
    public void Should_rest_longer_than_32_batches_when_chat_needs_it_within_the_longest_rest()
    {
        var pace = ByChat(new RetentionPolicy { MaxPauseBetweenBatches = TimeSpan.FromSeconds(60) });
        var pauses = Enumerable.Range(0, 10).Select(_ => pace.After(Batch, new ChatSample(Turns: 10, Slow: 10))).ToList();

        // A short burst hurts a busy machine's chat as much as a long one: the rest must be able to outgrow it by far.
        Assert.Equal(Batch * 256, pauses[^1]);
    }
}
