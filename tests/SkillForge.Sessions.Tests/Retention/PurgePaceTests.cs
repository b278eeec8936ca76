using SkillForge.Sessions.Retention;

namespace SkillForge.Sessions.Tests.Retention;

/// <summary>The adaptive pace on its own: what it does with each probe, without a database.</summary>
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
}
