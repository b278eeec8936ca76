using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using StackExchange.Redis;

namespace SkillForge.Sessions.Tests.Caching;

public sealed class SessionCacheTests
{
    private static IConnectionMultiplexer Redis => TestRedis.Shared;

    [Fact]
    public async Task Should_round_trip_a_session_and_slide_its_ttl()
    {
        var cache = Cache(new SessionStoreOptions { CacheTtl = TimeSpan.FromMinutes(5) });
        var session = Session(3);

        Assert.True(await cache.SetAsync(session));
        var read = await cache.GetAsync(session.Key);

        Assert.NotNull(read);
        Assert.Equal(session.Version, read.Version);
        Assert.Equal(session.RecentMessages, read.RecentMessages);
        Assert.Equal(session.ContextJson, read.ContextJson);
        var ttl = await Redis.GetDatabase().KeyTimeToLiveAsync(SessionCache.KeyOf(session.Key));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Should_never_overwrite_a_newer_version()
    {
        var cache = Cache();
        var newer = Session(5);
        await cache.SetAsync(newer);

        var written = await cache.SetAsync(newer with { Version = 4, State = "older" });

        Assert.False(written);
        Assert.Equal(5, (await cache.GetAsync(newer.Key))!.Version);
    }

    [Fact]
    public void Should_put_a_sessions_ids_in_a_hash_tag()
    {
        Assert.Equal("skillforge:session:v2:{2:t1:s.1}", SessionCache.KeyOf(new SessionKey("t1", "s.1")));
    }

    [Fact]
    public async Task Should_treat_an_unreadable_entry_as_a_miss_and_drop_it()
    {
        var cache = Cache();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await TestRedis.Admin.GetDatabase().HashSetAsync(SessionCache.KeyOf(key), [new("v", 1), new("d", "{not json")]);

        Assert.Null(await cache.GetAsync(key));
        Assert.False(await Redis.GetDatabase().KeyExistsAsync(SessionCache.KeyOf(key)));
    }

    [Fact]
    public async Task Should_turn_a_dead_redis_into_misses_and_bypass_it_for_the_break()
    {
        // A closed port: nothing listens there, so every command fails at once.
        using var dead = TestRedis.Dead();
        var events = new List<CacheEvent>();
        var cache = new SessionCache(dead, Options.Create(new SessionStoreOptions { CacheBreakDuration = TimeSpan.FromMinutes(1) }), NullLogger<SessionCache>.Instance);
        cache.Observed += events.Add;
        var session = Session(1);

        var started = Environment.TickCount64;
        Assert.Null(await cache.GetAsync(session.Key));
        Assert.False(await cache.SetAsync(session));
        Assert.Null(await cache.GetAsync(session.Key));

        Assert.True(cache.IsBypassed);
        Assert.Equal([CacheEvent.Error, CacheEvent.Bypassed, CacheEvent.Bypassed], events);
        Assert.True(Environment.TickCount64 - started < 5_000, "a dead Redis must not stall the caller");
        await Assert.ThrowsAnyAsync<Exception>(() => cache.RemoveOrThrowAsync(session.Key));
    }

    [Fact]
    public async Task Should_reserve_the_next_version_only_from_the_expected_one_and_hold_the_entry_as_pending()
    {
        var cache = Cache(new SessionStoreOptions { CacheTtl = TimeSpan.FromMinutes(5) });
        var current = Session(3);
        await cache.SetAsync(current);

        var stale = await cache.TryReserveAsync(current with { Version = 4, State = "stale" }, expectedVersion: 2, TimeSpan.FromHours(1));
        var reserved = await cache.TryReserveAsync(current with { Version = 4, State = "newest" }, expectedVersion: 3, TimeSpan.FromHours(1));
        var again = await cache.TryReserveAsync(current with { Version = 4, State = "racer" }, expectedVersion: 3, TimeSpan.FromHours(1));
        var missing = await cache.TryReserveAsync(Session(2), expectedVersion: 1, TimeSpan.FromHours(1));

        Assert.Equal((false, true, false, false), (stale, reserved, again, missing));
        var entry = await cache.GetEntryAsync(current.Key);
        Assert.Equal((4L, "newest", true), (entry!.Session.Version, entry.Session.State, entry.Pending));
        // The read did not slide it back to the 5-minute TTL: a pending entry keeps its hold.
        var ttl = await Redis.GetDatabase().KeyTimeToLiveAsync(SessionCache.KeyOf(current.Key));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task Should_keep_a_pending_entry_from_set_and_remove_but_not_from_erasure()
    {
        var cache = Cache();
        var current = Session(3);
        await cache.SetAsync(current);
        await cache.TryReserveAsync(current with { Version = 4 }, 3, TimeSpan.FromHours(1));

        var overwritten = await cache.SetAsync(current with { Version = 5, State = "around the queue" });
        await cache.RemoveAsync(current.Key);
        var kept = await cache.GetEntryAsync(current.Key);
        await cache.RemoveOrThrowAsync(current.Key);

        Assert.False(overwritten);
        Assert.Equal((4L, true), (kept!.Session.Version, kept.Pending));
        Assert.Null(await cache.GetEntryAsync(current.Key));
    }

    [Fact]
    public async Task Should_remove_many_entries_in_pipelined_chunks_and_keep_a_pending_one()
    {
        var cache = Cache();
        var sessions = Enumerable.Range(0, SessionCache.RemoveManyPerCall * 4 + 10).Select(_ => Session(1)).ToList();
        // In waves: two thousand scripts at once, beside the other test projects' Redis traffic, can time out a call and
        // trip this cache's breaker, which is not what this test is about.
        foreach (var wave in sessions.Chunk(100))
        {
            Assert.DoesNotContain(false, await Task.WhenAll(wave.Select(cache.SetAsync)));
        }
        var pending = Session(3);
        Assert.True(await cache.SetAsync(pending));
        Assert.True(await cache.TryReserveAsync(pending with { Version = 4 }, 3, TimeSpan.FromHours(1)));
        var neverCached = new SessionKey(TestIds.Tenant(), TestIds.Session());

        var failed = await cache.RemoveManyAsync([.. sessions.Select(s => s.Key), pending.Key, neverCached]);

        Assert.Equal(0, failed);
        var left = await Task.WhenAll(sessions.Select(s => Redis.GetDatabase().KeyExistsAsync(SessionCache.KeyOf(s.Key))));
        Assert.DoesNotContain(true, left);
        Assert.Equal((4L, true), ((await cache.GetEntryAsync(pending.Key))!.Session.Version, (await cache.GetEntryAsync(pending.Key))!.Pending));
    }

    [Fact]
    public void Should_split_many_removals_into_calls_of_one_slot_each_in_a_cluster()
    {
        var keys = Enumerable.Range(0, SessionCache.RemoveManyPerCall + 7)
            .Select(i => (RedisKey)SessionCache.KeyOf(new SessionKey("tenant", $"session-{i}"))).ToList();
        var twin = (RedisKey)(SessionCache.KeyOf(new SessionKey("tenant", "session-0")) + ":other"); // same hash tag, same slot

        // The test Redis is not a cluster (its HashSlot says -1 for every key): a stand-in slot by hash tag, as Redis
        // Cluster computes it (CRC16 of what is between the braces, modulo 16,384).
        static int SlotOf(RedisKey key)
        {
            var text = key.ToString();
            var open = text.IndexOf('{');
            ushort crc = 0; // CRC16-XMODEM, the cluster specification's
            foreach (var b in System.Text.Encoding.UTF8.GetBytes(text[(open + 1)..text.IndexOf('}', open)]))
            {
                crc ^= (ushort)(b << 8);
                for (var bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
                }
            }
            return crc & 16383;
        }

        var standalone = SessionCache.RemoveManyCalls(keys, slotOf: null).ToList();
        var cluster = SessionCache.RemoveManyCalls([.. keys, twin], SlotOf).ToList();

        Assert.Equal([SessionCache.RemoveManyPerCall, 7], standalone.Select(c => c.Length));
        Assert.Equal(keys.Count + 1, cluster.Sum(c => c.Length));
        Assert.All(cluster, call => Assert.Single(call.Select(SlotOf).Distinct()));
        Assert.Contains(cluster, call => call.Length == 2 && call.Contains(twin));
    }

    [Fact]
    public async Task Should_count_every_removal_a_dead_redis_refused()
    {
        using var dead = TestRedis.Dead();
        var cache = new SessionCache(dead, Options.Create(new SessionStoreOptions()), NullLogger<SessionCache>.Instance);
        var keys = Enumerable.Range(0, 3).Select(_ => new SessionKey(TestIds.Tenant(), TestIds.Session())).ToList();

        var failed = await cache.RemoveManyAsync(keys);

        Assert.Equal(3, failed);
        Assert.True(cache.IsBypassed);
    }

    [Fact]
    public async Task Should_clear_pending_only_when_the_newest_version_is_applied_and_slide_again()
    {
        var cache = Cache(new SessionStoreOptions { CacheTtl = TimeSpan.FromMinutes(5) });
        var current = Session(3);
        await cache.SetAsync(current);
        await cache.TryReserveAsync(current with { Version = 4 }, 3, TimeSpan.FromHours(1));
        await cache.TryReserveAsync(current with { Version = 5 }, 4, TimeSpan.FromHours(1));

        var olderApplied = await cache.MarkAppliedAsync(current.Key, 4);
        var stillPending = (await cache.GetEntryAsync(current.Key))!.Pending;
        var newestApplied = await cache.MarkAppliedAsync(current.Key, 5);

        Assert.Equal((false, true, true), (olderApplied, stillPending, newestApplied));
        var entry = await cache.GetEntryAsync(current.Key);
        Assert.Equal((5L, false), (entry!.Session.Version, entry.Pending));
        var ttl = await Redis.GetDatabase().KeyTimeToLiveAsync(SessionCache.KeyOf(current.Key));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.True(await cache.SetAsync(current with { Version = 6 }), "an applied entry takes ordinary writes again");
    }

    [Fact]
    public async Task Should_release_a_reservation_back_to_the_entry_it_was_taken_from()
    {
        var cache = Cache();
        var ordinary = Session(3);
        await cache.SetAsync(ordinary);
        await cache.TryReserveAsync(ordinary with { Version = 4 }, 3, TimeSpan.FromHours(1));

        var released = await cache.ReleaseAsync(new CachedSession(ordinary, Pending: false), reservedVersion: 4);
        var afterOrdinary = await cache.GetEntryAsync(ordinary.Key);
        await cache.TryReserveAsync(ordinary with { Version = 4 }, 3, TimeSpan.FromHours(1));
        await cache.TryReserveAsync(ordinary with { Version = 5 }, 4, TimeSpan.FromHours(1));
        var notOurs = await cache.ReleaseAsync(new CachedSession(ordinary, Pending: false), reservedVersion: 4);
        var releasedPending = await cache.ReleaseAsync(new CachedSession(ordinary with { Version = 4 }, Pending: true), reservedVersion: 5);
        var afterPending = await cache.GetEntryAsync(ordinary.Key);

        Assert.Equal((true, false, true), (released, notOurs, releasedPending));
        Assert.Equal((3L, false), (afterOrdinary!.Session.Version, afterOrdinary.Pending));
        Assert.Equal((4L, true), (afterPending!.Session.Version, afterPending.Pending));
    }

    private static SessionCache Cache(SessionStoreOptions? options = null) =>
        new(Redis, Options.Create(options ?? new SessionStoreOptions()), NullLogger<SessionCache>.Instance);

    private static StoredSession Session(long version)
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        var now = DateTimeOffset.UtcNow;
        return new StoredSession(key, "gathering_details", SessionStatus.Active, null, """{"a":1}""", version, (int)version * 2, now, now,
            [new StoredMessage(1, MessageRole.User, "hello ✓", Guid.NewGuid(), now), new StoredMessage(2, MessageRole.Assistant, "hi", Guid.NewGuid(), now)]);
    }
}
