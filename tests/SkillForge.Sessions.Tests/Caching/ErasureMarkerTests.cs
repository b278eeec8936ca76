using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;

namespace SkillForge.Sessions.Tests.Caching;

/// <summary>
/// An erasure leaves a marker in place of the cache entry: a turn of the erased session that committed just before the
/// erasure cannot cache it again afterwards, while a new session reusing the id can be cached.
/// </summary>
public sealed class ErasureMarkerTests
{
    private static readonly DateTimeOffset Erased = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Should_refuse_to_cache_the_erased_session_again_however_it_comes()
    {
        var cache = Cache();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        var erased = Session(key, 3, createdAt: Erased.AddMinutes(-5));
        Assert.True(await cache.SetAsync(erased));

        await cache.EraseOrThrowAsync(key, Erased, TimeSpan.FromMinutes(5));

        Assert.False(await TestRedis.HoldsSessionAsync(key));
        Assert.Null(await cache.GetAsync(key));
        Assert.False(await cache.SetAsync(erased with { Version = 4 })); // the in-flight turn's write after the commit
        Assert.False(await cache.TryReserveAsync(erased with { Version = 4 }, expectedVersion: 3, TimeSpan.FromMinutes(5)));
        await cache.RemoveAsync(key);
        Assert.False(await cache.SetAsync(erased with { Version = 5 })); // an ordinary eviction keeps the marker
        Assert.False(await TestRedis.HoldsSessionAsync(key));
        var ttl = await TestRedis.Shared.GetDatabase().KeyTimeToLiveAsync(SessionCache.KeyOf(key));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Should_cache_a_new_session_that_reuses_the_id_and_still_refuse_the_old_one()
    {
        var cache = Cache();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await cache.EraseOrThrowAsync(key, Erased, TimeSpan.FromMinutes(5));
        var reused = Session(key, 1, createdAt: Erased.AddSeconds(1));

        Assert.True(await cache.SetAsync(reused));
        Assert.Equal(1, (await cache.GetAsync(key))!.Version);
        Assert.False(await cache.SetAsync(Session(key, 7, createdAt: Erased.AddMinutes(-5)))); // the old life, though its version is higher
        Assert.Equal(1, (await cache.GetAsync(key))!.Version);
    }

    private static SessionCache Cache() =>
        new(TestRedis.Shared, Options.Create(new SessionStoreOptions()), NullLogger<SessionCache>.Instance);

    private static StoredSession Session(SessionKey key, long version, DateTimeOffset createdAt) =>
        new(key, "gathering_details", SessionStatus.Active, null, """{"a":1}""", version, (int)version * 2, createdAt, createdAt,
            [new StoredMessage(version * 2 - 1, MessageRole.User, "my secret", Guid.NewGuid(), createdAt)]);
}
