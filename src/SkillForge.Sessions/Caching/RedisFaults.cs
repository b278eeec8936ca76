using StackExchange.Redis;

namespace SkillForge.Sessions.Caching;

/// <summary>Which exceptions out of a Redis call mean "Redis failed" (trip the cache, retry the turn) rather than a bug.</summary>
public static class RedisFaults
{
    /// <summary>
    /// A <see cref="RedisException"/>, a timeout, or the client's own connection breaking under it:
    /// StackExchange.Redis 2.12–2.13 can fail a call with System.IO.Pipelines' "Reading is not allowed after reader was
    /// completed" when a connection's read loop races its teardown (seen once under load in the cleanup benchmark).
    /// That is a dead connection like any other, not a reason to fail the turn or the cleanup run.
    /// </summary>
    public static bool IsFault(Exception e) =>
        e is RedisException or TimeoutException
        || e is InvalidOperationException { Source: "System.IO.Pipelines" };

    /// <summary>
    /// <see cref="IsFault"/>, or a cancelled call, for callers that give Redis no cancellation token of their own (the
    /// session cache): the cancellation can then only be the client abandoning the call. StackExchange.Redis 2.13 failed
    /// a few cache reads with a bare <see cref="TaskCanceledException"/> while another worker was starting up and one
    /// was killed (the fault suite), which failed those turns instead of sending them to PostgreSQL.
    /// </summary>
    public static bool IsFaultOrAbandoned(Exception e) => IsFault(e) || e is OperationCanceledException;
}
