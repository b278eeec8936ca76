using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using StackExchange.Redis;

namespace SkillForge.Sessions.Tests.Caching;

/// <summary>
/// Tenant <c>x:a</c> with session <c>b</c> and tenant <c>x</c> with session <c>a:b</c> once shared a Redis key: a turn of
/// one overwrote the other's entry. Every (tenant, session) now has a key of its own, and every script checks the
/// identity stored in an entry before it changes it.
/// </summary>
public sealed class TenantSafeKeyTests
{
    private static IConnectionMultiplexer Redis => TestRedis.Shared;

    [Fact]
    public void Should_give_the_colliding_pair_two_keys_each_in_a_hash_tag()
    {
        var first = SessionCache.KeyOf(new SessionKey("acme:a", "b"));
        var second = SessionCache.KeyOf(new SessionKey("acme", "a:b"));

        Assert.Equal("skillforge:session:v2:{6:acme:a:b}", first);
        Assert.Equal("skillforge:session:v2:{4:acme:a:b}", second);
    }

    [Fact]
    public async Task Should_keep_writes_pending_marks_and_evictions_of_the_colliding_pair_apart()
    {
        var cache = Cache();
        var (first, second) = CollidingPair();
        var one = Session(first, 3, "first's reply");
        var other = Session(second, 1, "second's reply");

        Assert.True(await cache.SetAsync(one));
        Assert.True(await cache.SetAsync(other));
        Assert.True(await cache.TryReserveAsync(other with { Version = 2 }, expectedVersion: 1, TimeSpan.FromMinutes(5)));
        Assert.Equal("first's reply", (await cache.GetAsync(first))!.RecentMessages[^1].Content);
        Assert.False((await cache.GetEntryAsync(first))!.Pending);

        await cache.RemoveOrThrowAsync(first);

        Assert.Null(await cache.GetAsync(first));
        Assert.Equal((2L, true), ((await cache.GetEntryAsync(second))!.Session.Version, (await cache.GetEntryAsync(second))!.Pending));
    }

    [Fact]
    public async Task Should_not_write_mark_or_evict_an_entry_that_names_another_session()
    {
        var cache = Cache();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        var redisKey = SessionCache.KeyOf(key);
        // As if the key format had a bug: the entry under this session's key belongs to another tenant.
        await TestRedis.Admin.GetDatabase().HashSetAsync(redisKey, [new("v", 1), new("d", "{}"), new("p", "1"), new("t", "other-tenant"), new("s", key.SessionId)]);
        await Redis.GetDatabase().KeyExpireAsync(redisKey, TimeSpan.FromMinutes(5));

        Assert.False(await cache.SetAsync(Session(key, 5, "overwrite")));
        Assert.False(await cache.TryReserveAsync(Session(key, 2, "reserve"), expectedVersion: 1, TimeSpan.FromMinutes(5)));
        Assert.False(await cache.MarkAppliedAsync(key, 1));
        await cache.RemoveOrThrowAsync(key);
        await cache.RemoveManyAsync([key]);

        var left = await Redis.GetDatabase().HashGetAllAsync(redisKey);
        Assert.Equal(("1", "{}", "1", "other-tenant"),
            ((string)left.Single(e => e.Name == "v").Value!, (string)left.Single(e => e.Name == "d").Value!,
             (string)left.Single(e => e.Name == "p").Value!, (string)left.Single(e => e.Name == "t").Value!));
    }

    private static (SessionKey First, SessionKey Second) CollidingPair()
    {
        var tenant = TestIds.Tenant();
        return (new SessionKey($"{tenant}:a", "b"), new SessionKey(tenant, "a:b"));
    }

    private static SessionCache Cache() =>
        new(Redis, Options.Create(new SessionStoreOptions()), NullLogger<SessionCache>.Instance);

    private static StoredSession Session(SessionKey key, long version, string reply)
    {
        var now = DateTimeOffset.UtcNow;
        return new StoredSession(key, "gathering_details", SessionStatus.Active, null, """{"a":1}""", version, (int)version * 2, now, now,
            [new StoredMessage(version * 2 - 1, MessageRole.User, "hello", Guid.NewGuid(), now), new StoredMessage(version * 2, MessageRole.Assistant, reply, Guid.NewGuid(), now)]);
    }
}
