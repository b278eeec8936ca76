using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Sessions;
using SkillForge.Sessions.Caching;
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
        Assert.Equal("skillforge:session:{t1:s.1}", SessionCache.KeyOf(new SessionKey("t1", "s.1")));
    }

    [Fact]
    public async Task Should_treat_an_unreadable_entry_as_a_miss_and_drop_it()
    {
        var cache = Cache();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await Redis.GetDatabase().HashSetAsync(SessionCache.KeyOf(key), [new("v", 1), new("d", "{not json")]);

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
