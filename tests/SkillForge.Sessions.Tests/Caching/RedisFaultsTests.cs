using System.IO.Pipelines;
using SkillForge.Sessions.Caching;
using StackExchange.Redis;

namespace SkillForge.Sessions.Tests.Caching;

/// <summary>What counts as Redis failing (the cache trips, the turn is retried) and what stays a bug.</summary>
public sealed class RedisFaultsTests
{
    [Fact]
    public void Should_count_a_pipe_read_after_its_reader_completed_as_a_redis_fault()
    {
        // The exception StackExchange.Redis 2.13 surfaced from a call whose connection's read loop was torn down.
        var pipe = new Pipe();
        pipe.Reader.Complete();
        var thrown = Assert.Throws<InvalidOperationException>(() => pipe.Reader.TryRead(out _));

        Assert.Contains("Reading is not allowed after reader was completed", thrown.Message, StringComparison.Ordinal);
        Assert.True(RedisFaults.IsFault(thrown));
    }

    [Fact]
    public void Should_count_redis_errors_and_timeouts_as_faults()
    {
        Assert.True(RedisFaults.IsFault(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down")));
        Assert.True(RedisFaults.IsFault(new RedisTimeoutException("slow", CommandStatus.Sent)));
        Assert.True(RedisFaults.IsFault(new TimeoutException()));
    }

    [Fact]
    public void Should_not_count_our_own_invalid_operations_as_redis_faults()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => new List<int>().First());

        Assert.False(RedisFaults.IsFault(thrown));
        Assert.False(RedisFaults.IsFault(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void Should_count_an_abandoned_call_as_a_fault_only_where_no_caller_could_have_cancelled_it()
    {
        var abandoned = new TaskCanceledException();

        Assert.True(RedisFaults.IsFaultOrAbandoned(abandoned)); // the session cache gives Redis no token of its own
        Assert.False(RedisFaults.IsFault(abandoned)); // elsewhere a cancellation may be the caller's, as at shutdown
        Assert.True(RedisFaults.IsFaultOrAbandoned(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down")));
        Assert.False(RedisFaults.IsFaultOrAbandoned(new InvalidOperationException("a bug")));
    }
}
