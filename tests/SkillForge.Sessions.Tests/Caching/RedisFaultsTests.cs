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
}
