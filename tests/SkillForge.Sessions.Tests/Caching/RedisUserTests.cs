using System.Net.Sockets;
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
        // A bare socket speaking RESP: a client library's handshake would decide the outcome's wording and timing
        // (the first run through StackExchange.Redis saw a connection error before the server's answer).
        var endpoint = ConfigurationOptions.Parse(TestServers.Redis).EndPoints[0];
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);

        foreach (var command in new[] { "PING", "GET skillforge:anything", "KEYS *" })
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(command + "\r\n"));
            var answer = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

            Assert.StartsWith("-NOAUTH", answer, StringComparison.Ordinal);
        }
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
