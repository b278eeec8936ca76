using SkillForge.Testing;
using StackExchange.Redis;

namespace SkillForge.Sessions.Tests.Caching;

/// <summary>
/// Redis requires a user (ops/redis/users.acl). The worker's user runs the cache's commands on <c>skillforge:*</c>
/// keys and nothing else, so a stolen worker password cannot flush, reconfigure or read the rest of a shared Redis.
/// </summary>
public sealed class RedisUserTests
{

    [Fact]
    public async Task Should_refuse_a_connection_without_a_user()
    {
        var endpoint = ConfigurationOptions.Parse(TestServers.Redis).EndPoints[0];
        var options = new ConfigurationOptions { EndPoints = { endpoint }, AbortOnConnectFail = false, ConnectTimeout = 2_000 };
        using var anonymous = await ConnectionMultiplexer.ConnectAsync(options);

        var refused = await Assert.ThrowsAnyAsync<RedisException>(() => anonymous.GetDatabase().PingAsync());

        Assert.Contains("NOAUTH", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_refuse_the_worker_user_what_the_cache_never_does()
    {
        // A plain client as the worker's user: the worker's own multiplexer would not even send CONFIG.
        using var worker = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);
        var db = worker.GetDatabase();
        var outside = $"not-skillforge:{nameof(RedisUserTests)}";
        await TestRedis.Admin.GetDatabase().StringSetAsync(outside, "kept", TimeSpan.FromMinutes(1));

        foreach (var (command, args) in new (string, object[])[]
                 {
                     ("FLUSHALL", []),
                     ("CONFIG", ["SET", "appendonly", "no"]),
                     ("KEYS", ["*"]),
                     ("SCAN", ["0"]),
                     ("ACL", ["LIST"]),
                     ("DEL", [outside]),
                     ("HGETALL", [outside]),
                 })
        {
            var refused = await Assert.ThrowsAsync<RedisServerException>(() => db.ExecuteAsync(command, args));
            Assert.StartsWith("NOPERM", refused.Message, StringComparison.Ordinal);
        }

        // Nor through a script: Redis checks the commands a script runs against the caller's rights too.
        var scripted = await Assert.ThrowsAsync<RedisServerException>(() =>
            db.ScriptEvaluateAsync("return redis.call('DEL', KEYS[1])", [outside]));
        Assert.Contains("permission", scripted.Message, StringComparison.OrdinalIgnoreCase);

        Assert.Equal("kept", (string?)await TestRedis.Admin.GetDatabase().StringGetAsync(outside));
    }
}
