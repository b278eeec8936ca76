using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using StackExchange.Redis;

namespace SkillForge.Sessions.Caching;

/// <summary>
/// The Redis cache of active sessions: one hash per session holding the version (<c>v</c>) and the JSON of the
/// <see cref="StoredSession"/> (<c>d</c>: row, context, latest messages). Normally only an accelerator: every failure
/// is a miss, after which the cache is bypassed for <see cref="SessionStoreOptions.CacheBreakDuration"/> so an outage
/// costs a PostgreSQL read per turn, not a Redis timeout per turn.
/// <para>
/// The one exception is write-behind: while PostgreSQL is down a turn on a cached session is answered and
/// its write queued, and the entry is <em>reserved</em> — it holds the newest state, marked pending (<c>p</c>), ahead
/// of PostgreSQL. A pending entry is the session's truth until the queued writes are applied: it keeps a long hold
/// instead of the sliding TTL, plain <see cref="SetAsync"/> and <see cref="RemoveAsync"/> leave it alone, and only
/// <see cref="MarkAppliedAsync"/> (the write of its version reached PostgreSQL) returns it to an ordinary entry.
/// </para>
/// </summary>
public sealed class SessionCache(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options, ILogger<SessionCache> logger)
{
    private readonly SessionStoreOptions _options = options.Value;
    private long _bypassUntilTicks;

    /// <summary>Raised for every lookup and failure, so the worker's metrics can count them without this project knowing the meter.</summary>
    public event Action<CacheEvent>? Observed;

    /// <summary>
    /// The key of a session: <c>skillforge:session:v2:{len:tenant:session}</c>, the tenant id prefixed by its length so
    /// that no two (tenant, session) pairs share a key (ids may contain ':'). The braces are a hash tag, so one
    /// session's keys share a Redis Cluster slot. Keys of the earlier format (without v2) are simply never read again
    /// and expire with their TTL.
    /// </summary>
    public static string KeyOf(SessionKey key) => $"skillforge:session:v2:{{{key.TenantId.Length}:{key.TenantId}:{key.SessionId}}}";

    /// <summary>The cached session, or null on a miss, an unreadable entry or any Redis failure.</summary>
    public async Task<StoredSession?> GetAsync(SessionKey key) => (await GetEntryAsync(key))?.Session;

    /// <summary>The cached session with whether it is ahead of PostgreSQL (write-behind), or null as for <see cref="GetAsync"/>.</summary>
    public async Task<CachedSession?> GetEntryAsync(SessionKey key)
    {
        if (IsBypassed)
        {
            Observed?.Invoke(CacheEvent.Bypassed);
            return null;
        }
        try
        {
            var entry = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(SessionCacheScripts.Get,
                new { key = (RedisKey)KeyOf(key), ttl = (long)_options.CacheTtl.TotalMilliseconds }))!;
            if (entry[0].IsNull)
            {
                Observed?.Invoke(CacheEvent.Miss);
                return null;
            }
            var session = JsonSerializer.Deserialize((string)entry[0]!, SessionsJsonContext.Default.StoredSession);
            if (session is null || session.Key != key)
            {
                await RemoveAsync(key);
                Observed?.Invoke(CacheEvent.Miss);
                return null;
            }
            Observed?.Invoke(CacheEvent.Hit);
            return new CachedSession(session, Pending: !entry[1].IsNull);
        }
        catch (JsonException e)
        {
            CacheLog.UnreadableEntry(logger, key.TenantId, key.SessionId, e.Message);
            await RemoveAsync(key);
            Observed?.Invoke(CacheEvent.Miss);
            return null;
        }
        catch (Exception e) when (RedisFaults.IsFaultOrAbandoned(e))
        {
            Trip(e, "read");
            return null;
        }
    }

    /// <summary>Writes the session unless the cache already holds a newer version or a pending one. Returns false when not written.</summary>
    public async Task<bool> SetAsync(StoredSession session)
    {
        if (IsBypassed)
        {
            Observed?.Invoke(CacheEvent.Bypassed);
            return false;
        }
        try
        {
            var data = JsonSerializer.Serialize(session, SessionsJsonContext.Default.StoredSession);
            var written = await redis.GetDatabase().ScriptEvaluateAsync(SessionCacheScripts.Set, new
            {
                key = (RedisKey)KeyOf(session.Key),
                tenant = session.Key.TenantId,
                session = session.Key.SessionId,
                version = session.Version,
                created = session.CreatedAt.ToUnixTimeMilliseconds(),
                data,
                ttl = (long)_options.CacheTtl.TotalMilliseconds,
            });
            return (long)written == 1;
        }
        catch (Exception e) when (RedisFaults.IsFaultOrAbandoned(e))
        {
            Trip(e, "write");
            return false;
        }
    }

    /// <summary>
    /// Best effort: drops the entry (the next load goes to PostgreSQL) unless it is pending — then PostgreSQL is
    /// behind it and it stays. Returns false on failure.
    /// </summary>
    public async Task<bool> RemoveAsync(SessionKey key)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(SessionCacheScripts.Remove, [(RedisKey)KeyOf(key)], [key.TenantId, key.SessionId]);
            return true;
        }
        catch (Exception e) when (RedisFaults.IsFaultOrAbandoned(e))
        {
            Trip(e, "delete");
            return false;
        }
    }

    /// <summary>
    /// <see cref="RemoveAsync"/> for many sessions at once (a cleanup batch): one script call removes up to
    /// <see cref="RemoveManyPerCall"/> entries, pending ones excepted, and the calls are pipelined. One call a session
    /// cost ~15 µs of the caller's CPU each (a batch of 2,000 took ~30 ms); one call for 500 costs about as much as one
    /// for one. Best effort like <see cref="RemoveAsync"/>; returns how many could not be removed.
    /// </summary>
    public async Task<int> RemoveManyAsync(IReadOnlyList<SessionKey> keys)
    {
        var database = redis.GetDatabase();
        var isCluster = redis.GetServers().Any(server => server.ServerType == ServerType.Cluster);
        var sessionOf = keys.DistinctBy(KeyOf).ToDictionary(key => (RedisKey)KeyOf(key));
        var calls = RemoveManyCalls(sessionOf.Keys, isCluster ? redis.HashSlot : null).ToList();
        var failed = 0;
        foreach (var wave in calls.Chunk(RemoveManyCallsInFlight))
        {
            var removals = wave.Select(call => database.ScriptEvaluateAsync(SessionCacheScripts.Remove, call,
                call.SelectMany(key => new RedisValue[] { sessionOf[key].TenantId, sessionOf[key].SessionId }).ToArray())).ToList();
            try
            {
                await Task.WhenAll(removals);
            }
            catch (Exception e) when (RedisFaults.IsFaultOrAbandoned(e))
            {
                Trip(e, "delete");
                failed += removals.Select((removal, i) => removal.IsCompletedSuccessfully ? 0 : wave[i].Length).Sum();
            }
        }
        return failed;
    }

    /// <summary>Entries one <see cref="RemoveManyAsync"/> script call removes: a script holds Redis while it runs (~0.5 ms for 500).</summary>
    public const int RemoveManyPerCall = 500;

    private const int RemoveManyCallsInFlight = 200;

    /// <summary>
    /// The keys of <see cref="RemoveManyAsync"/>'s script calls, at most <see cref="RemoveManyPerCall"/> a call. In a
    /// Redis Cluster (<paramref name="slotOf"/> given) a script may only touch keys of one slot, so each call's keys
    /// share a slot: every session's key has a slot of its own there, and the calls are of one key each.
    /// </summary>
    internal static IEnumerable<RedisKey[]> RemoveManyCalls(IEnumerable<RedisKey> keys, Func<RedisKey, int>? slotOf) =>
        slotOf is null
            ? keys.Chunk(RemoveManyPerCall)
            : keys.GroupBy(slotOf).SelectMany(slot => slot.Chunk(RemoveManyPerCall));

    /// <summary>
    /// Write-behind: stores <paramref name="newest"/> as pending, held for <paramref name="hold"/>, if the entry is
    /// still at <paramref name="expectedVersion"/>. False when it is not (another turn moved it, or it is gone).
    /// Throws on a Redis failure: without the reservation the turn must not be answered.
    /// </summary>
    public async Task<bool> TryReserveAsync(StoredSession newest, long expectedVersion, TimeSpan hold)
    {
        var data = JsonSerializer.Serialize(newest, SessionsJsonContext.Default.StoredSession);
        var reserved = await redis.GetDatabase().ScriptEvaluateAsync(SessionCacheScripts.Reserve, new
        {
            key = (RedisKey)KeyOf(newest.Key),
            tenant = newest.Key.TenantId,
            session = newest.Key.SessionId,
            expected = expectedVersion,
            version = newest.Version,
            created = newest.CreatedAt.ToUnixTimeMilliseconds(),
            data,
            hold = (long)hold.TotalMilliseconds,
        });
        return (long)reserved == 1;
    }

    /// <summary>
    /// Undoes a reservation of <paramref name="reservedVersion"/> whose write could not be queued: the entry goes back to
    /// <paramref name="previous"/> (pending or not, as it was). Best effort; returns false when not done.
    /// </summary>
    public async Task<bool> ReleaseAsync(CachedSession previous, long reservedVersion)
    {
        try
        {
            var data = JsonSerializer.Serialize(previous.Session, SessionsJsonContext.Default.StoredSession);
            var released = await redis.GetDatabase().ScriptEvaluateAsync(SessionCacheScripts.Release, new
            {
                key = (RedisKey)KeyOf(previous.Session.Key),
                tenant = previous.Session.Key.TenantId,
                session = previous.Session.Key.SessionId,
                reserved = reservedVersion,
                version = previous.Session.Version,
                data,
                pending = previous.Pending ? 1 : 0,
                ttl = (long)_options.CacheTtl.TotalMilliseconds,
            });
            return (long)released == 1;
        }
        catch (Exception e) when (RedisFaults.IsFaultOrAbandoned(e))
        {
            Trip(e, "release");
            return false;
        }
    }

    /// <summary>
    /// The queued write that produced <paramref name="version"/> is in PostgreSQL: if the entry is still at that
    /// version it becomes an ordinary cached session again (sliding TTL). Best effort — a failure leaves the entry
    /// pending until its hold runs out, which only routes that session's turns through the queue meanwhile.
    /// </summary>
    public async Task<bool> MarkAppliedAsync(SessionKey key, long version)
    {
        try
        {
            var cleared = await redis.GetDatabase().ScriptEvaluateAsync(SessionCacheScripts.MarkApplied, new
            {
                key = (RedisKey)KeyOf(key),
                tenant = key.TenantId,
                session = key.SessionId,
                version,
                ttl = (long)_options.CacheTtl.TotalMilliseconds,
            });
            return (long)cleared == 1;
        }
        catch (Exception e) when (RedisFaults.IsFaultOrAbandoned(e))
        {
            Trip(e, "mark applied");
            return false;
        }
    }

    /// <summary>
    /// Drops the entry, pending or not, or throws: for erasure and purges, where a copy of the session's text left
    /// in Redis would break the promise, so the caller must retry rather than go on.
    /// </summary>
    public async Task RemoveOrThrowAsync(SessionKey key)
    {
        await redis.GetDatabase().ScriptEvaluateAsync(SessionCacheScripts.RemoveAnyway, [(RedisKey)KeyOf(key)], [key.TenantId, key.SessionId]);
    }

    /// <summary>
    /// Erasure: drops the entry, pending or not, and leaves a marker of <paramref name="erasedAt"/> for
    /// <paramref name="keep"/>, so that a turn of the erased session still in flight cannot cache it again, while a new
    /// session under the same id can be. Throws on failure, as <see cref="RemoveOrThrowAsync"/>.
    /// </summary>
    public async Task EraseOrThrowAsync(SessionKey key, DateTimeOffset erasedAt, TimeSpan keep)
    {
        await redis.GetDatabase().ScriptEvaluateAsync(SessionCacheScripts.Erase, [(RedisKey)KeyOf(key)],
            [key.TenantId, key.SessionId, erasedAt.ToUnixTimeMilliseconds(), (long)keep.TotalMilliseconds]);
    }

    /// <summary>Whether a Redis failure is still inside its break period.</summary>
    public bool IsBypassed => Environment.TickCount64 < Interlocked.Read(ref _bypassUntilTicks);

    private void Trip(Exception e, string operation)
    {
        Interlocked.Exchange(ref _bypassUntilTicks, Environment.TickCount64 + (long)_options.CacheBreakDuration.TotalMilliseconds);
        CacheLog.CacheFailed(logger, operation, _options.CacheBreakDuration, e.GetType().Name, e.Message);
        Observed?.Invoke(CacheEvent.Error);
    }
}
