using System.Diagnostics;
using SkillForge.Sessions.Retention;

namespace SkillForge.Sessions.Tests.Retention;

/// <summary>The record of chat's turns that the purge paces itself by.</summary>
public sealed class ChatLatenciesTests
{
    private static long Ms(double milliseconds) => (long)(milliseconds / 1000 * Stopwatch.Frequency);

    [Fact]
    public void Should_count_the_turns_that_ended_in_a_stretch_and_those_slower_than_the_limit()
    {
        var latencies = new ChatLatencies();
        var before = Stopwatch.GetTimestamp();
        latencies.Record(Stopwatch.GetTimestamp() - Ms(1));
        latencies.Record(Stopwatch.GetTimestamp() - Ms(50));
        latencies.Record(Stopwatch.GetTimestamp() - Ms(2));
        var after = Stopwatch.GetTimestamp();

        Assert.Equal(new ChatSample(3, 1), latencies.Between(before, after, TimeSpan.FromMilliseconds(20)));
        Assert.Equal(new ChatSample(0, 0), latencies.Between(after, Stopwatch.GetTimestamp(), TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void Should_give_a_percentile_only_from_enough_turns()
    {
        var latencies = new ChatLatencies();
        var before = Stopwatch.GetTimestamp();
        for (var i = 1; i <= 100; i++)
        {
            latencies.Record(Stopwatch.GetTimestamp() - Ms(i));
        }

        var p99 = latencies.Percentile(before, 99, atLeast: 100);
        Assert.NotNull(p99);
        // The 99th of 100 took 99 ms and a little more: the timestamps were taken a moment apart.
        Assert.InRange(p99.Value.TotalMilliseconds, 99, 99.9);
        Assert.Null(latencies.Percentile(before, 99, atLeast: 101));
        Assert.Null(latencies.Percentile(Stopwatch.GetTimestamp(), 99, atLeast: 1));
    }

    [Fact]
    public void Should_not_take_slots_never_written_for_turns_however_far_back_the_window_reaches()
    {
        var latencies = new ChatLatencies();

        Assert.Null(latencies.Percentile(long.MinValue, 99, atLeast: 1));
        Assert.Equal(new ChatSample(0, 0), latencies.Between(long.MinValue, Stopwatch.GetTimestamp(), TimeSpan.Zero));
    }

    [Fact]
    public void Should_keep_only_the_latest_turns_once_full()
    {
        var latencies = new ChatLatencies();
        var before = Stopwatch.GetTimestamp();
        for (var i = 0; i < ChatLatencies.Capacity; i++)
        {
            latencies.Record(Stopwatch.GetTimestamp() - Ms(100));
        }
        for (var i = 0; i < 10; i++)
        {
            latencies.Record(Stopwatch.GetTimestamp() - Ms(1));
        }

        Assert.Equal(new ChatSample(ChatLatencies.Capacity, ChatLatencies.Capacity - 10),
            latencies.Between(before, Stopwatch.GetTimestamp(), TimeSpan.FromMilliseconds(50)));
    }
}
