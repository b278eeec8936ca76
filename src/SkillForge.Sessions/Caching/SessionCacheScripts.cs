using StackExchange.Redis;

namespace SkillForge.Sessions.Caching;

/// <summary>
/// The Lua scripts behind <see cref="SessionCache"/>: each reads and changes one session's hash in one round trip, so
/// no other writer can come between its check and its change.
/// </summary>
internal static class SessionCacheScripts
{
    // Get and slide the TTL in one round trip; a pending entry keeps the hold it was reserved with.
    public static readonly LuaScript Get = LuaScript.Prepare("""
        local entry = redis.call('HMGET', @key, 'd', 'p')
        if entry[1] and not entry[2] then redis.call('PEXPIRE', @key, @ttl) end
        return entry
        """);

    // Every script that writes, marks or evicts first checks that the entry is this session's (fields t and s): the
    // key format makes two sessions sharing a key impossible, and this keeps a bug in it from mixing two tenants' data.
    private const string Foreign = """
        local function foreign(key, tenant, session)
            local id = redis.call('HMGET', key, 't', 's')
            return id[1] ~= false and (id[1] ~= tenant or id[2] ~= session)
        end
        """;

    // An erasure leaves a marker (field e: when, in Unix milliseconds) in place of the entry. A session created before
    // it is the erased one — a turn that committed just before the erasure must not cache it again afterwards — while
    // a session created after it reuses the id and may be cached. The marker stays with a later entry of the new session.
    private const string Erased = """
        local function erased(key, created)
            local at = redis.call('HGET', key, 'e')
            return at ~= false and tonumber(created) <= tonumber(at)
        end
        """;

    // Compare-on-version: an older writer (a slow instance, a replayed write) never overwrites a newer entry, and
    // nothing but the write-behind calls below changes a pending one.
    public static readonly LuaScript Set = LuaScript.Prepare(Foreign + "\n" + Erased + "\n" + """
        if foreign(@key, @tenant, @session) or erased(@key, @created) then return 0 end
        local current = redis.call('HGET', @key, 'v')
        if current and (tonumber(current) > tonumber(@version) or redis.call('HEXISTS', @key, 'p') == 1) then
            if redis.call('HEXISTS', @key, 'p') == 0 then redis.call('PEXPIRE', @key, @ttl) end
            return 0
        end
        redis.call('HSET', @key, 'v', @version, 'd', @data, 't', @tenant, 's', @session)
        redis.call('PEXPIRE', @key, @ttl)
        return 1
        """);

    // Write-behind: take the next version only if the entry is still at the version the turn was computed from.
    public static readonly LuaScript Reserve = LuaScript.Prepare(Foreign + "\n" + Erased + "\n" + """
        if foreign(@key, @tenant, @session) or erased(@key, @created) then return 0 end
        local current = redis.call('HGET', @key, 'v')
        if not current or tonumber(current) ~= tonumber(@expected) then return 0 end
        redis.call('HSET', @key, 'v', @version, 'd', @data, 'p', '1', 't', @tenant, 's', @session)
        redis.call('PEXPIRE', @key, @hold)
        return 1
        """);

    // Undo a reservation whose write could not be queued, if nothing has moved past it since.
    public static readonly LuaScript Release = LuaScript.Prepare(Foreign + "\n" + """
        if foreign(@key, @tenant, @session) then return 0 end
        local current = redis.call('HGET', @key, 'v')
        if not current or tonumber(current) ~= tonumber(@reserved) then return 0 end
        redis.call('HSET', @key, 'v', @version, 'd', @data)
        if tonumber(@pending) == 0 then
            redis.call('HDEL', @key, 'p')
            redis.call('PEXPIRE', @key, @ttl)
        end
        return 1
        """);

    // The queued write of this version is in PostgreSQL: unless a newer one is pending, back to an ordinary entry.
    public static readonly LuaScript MarkApplied = LuaScript.Prepare(Foreign + "\n" + """
        if foreign(@key, @tenant, @session) then return 0 end
        local current = redis.call('HGET', @key, 'v')
        if current and tonumber(current) == tonumber(@version) and redis.call('HEXISTS', @key, 'p') == 1 then
            redis.call('HDEL', @key, 'p')
            redis.call('PEXPIRE', @key, @ttl)
            return 1
        end
        return 0
        """);

    // Drops every entry named in KEYS except pending ones and erasure markers (ARGV: each key's tenant and session, in pairs); one key for
    // RemoveAsync, a cleanup batch's for RemoveManyAsync.
    public const string Remove = Foreign + "\n" + """
        local removed = 0
        for i, key in ipairs(KEYS) do
            if not foreign(key, ARGV[2 * i - 1], ARGV[2 * i]) and redis.call('HEXISTS', key, 'p') == 0
                and redis.call('HEXISTS', key, 'd') == 1 then
                removed = removed + redis.call('DEL', key)
            end
        end
        return removed
        """;

    // Erasure and purges: drops the entry, pending or not, if it is this session's.
    public const string RemoveAnyway = Foreign + "\n" + """
        if foreign(KEYS[1], ARGV[1], ARGV[2]) then return 0 end
        return redis.call('DEL', KEYS[1])
        """;

    // Erasure: the entry goes, pending or not, and a marker of when takes its place for a while (see Erased).
    public const string Erase = Foreign + "\n" + """
        if foreign(KEYS[1], ARGV[1], ARGV[2]) then return 0 end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'e', ARGV[3], 't', ARGV[1], 's', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return 1
        """;
}
