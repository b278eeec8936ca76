using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SkillForge.Sessions.Caching;

/// <summary>
/// The Redis cache of active sessions: one hash per session holding the version and the JSON of the
/// <see cref="StoredSession"/> (row, context, latest messages). It is only ever an accelerator: every failure is a
/// miss, after which the cache is bypassed for <see cref="SessionStoreOptions.CacheBreakDuration"/> so an outage
/// costs a PostgreSQL read per turn, not a Redis timeout per turn (DESIGN.md §8).
/// </summary>
public sealed class SessionCache(IConnectionMultiplexer redis, IOptions<SessionStoreOptions> options, ILogger<SessionCache> logger)
{
    // Get and slide the TTL in one round trip.
    private static readonly LuaScript GetScript = LuaScript.Prepare("""
        local data = redis.call('HGET', @key, 'd')
        if data then redis.call('PEXPIRE', @key, @ttl) end
        return data
        """);

    // Compare-on-version: an older writer (a slow instance, a replayed write) never overwrites a newer entry.
    private static readonly LuaScript SetScript = LuaScript.Prepare("""
        local current = redis.call('HGET', @key, 'v')
        if current and tonumber(current) > tonumber(@version) then
            redis.call('PEXPIRE', @key, @ttl)
            return 0
        end
        redis.call('HSET', @key, 'v', @version, 'd', @data)
        redis.call('PEXPIRE', @key, @ttl)
        return 1
        """);

    private readonly SessionStoreOptions _options = options.Value;
    private long _bypassUntilTicks;

    /// <summary>Raised for every lookup and failure, so the worker's metrics can count them without this project knowing the meter.</summary>
    public event Action<CacheEvent>? Observed;

    /// <summary>The key of a session: the braces are a hash tag, so one session's keys share a Redis Cluster slot.</summary>
    public static string KeyOf(SessionKey key) => $"skillforge:session:{{{key.TenantId}:{key.SessionId}}}";

    /// <summary>The cached session, or null on a miss, an unreadable entry or any Redis failure.</summary>
    public async Task<StoredSession?> GetAsync(SessionKey key)
    {
        if (IsBypassed)
        {
            Observed?.Invoke(CacheEvent.Bypassed);
            return null;
        }
        try
        {
            var result = await redis.GetDatabase().ScriptEvaluateAsync(GetScript,
                new { key = (RedisKey)KeyOf(key), ttl = (long)_options.CacheTtl.TotalMilliseconds });
            if (result.IsNull)
            {
                Observed?.Invoke(CacheEvent.Miss);
                return null;
            }
            var session = JsonSerializer.Deserialize((string)result!, SessionsJsonContext.Default.StoredSession);
            if (session is null || session.Key != key)
            {
                await RemoveAsync(key);
                Observed?.Invoke(CacheEvent.Miss);
                return null;
            }
            Observed?.Invoke(CacheEvent.Hit);
            return session;
        }
        catch (JsonException e)
        {
            CacheLog.UnreadableEntry(logger, key.TenantId, key.SessionId, e.Message);
            await RemoveAsync(key);
            Observed?.Invoke(CacheEvent.Miss);
            return null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Trip(e, "read");
            return null;
        }
    }

    /// <summary>Writes the session unless the cache already holds a newer version. Returns false when not written.</summary>
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
            var written = await redis.GetDatabase().ScriptEvaluateAsync(SetScript, new
            {
                key = (RedisKey)KeyOf(session.Key),
                version = session.Version,
                data,
                ttl = (long)_options.CacheTtl.TotalMilliseconds,
            });
            return (long)written == 1;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Trip(e, "write");
            return false;
        }
    }

    /// <summary>Best effort: drops the entry (the next load goes to PostgreSQL). Returns false on failure.</summary>
    public async Task<bool> RemoveAsync(SessionKey key)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(KeyOf(key));
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Trip(e, "delete");
            return false;
        }
    }

    /// <summary>
    /// Drops the entry or throws: for erasure and purges, where a copy of the session's text left in Redis
    /// would break the promise, so the caller must retry rather than go on.
    /// </summary>
    public async Task RemoveOrThrowAsync(SessionKey key)
    {
        await redis.GetDatabase().KeyDeleteAsync(KeyOf(key));
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
