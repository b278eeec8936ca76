using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillForge.Contracts;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;
using SkillForge.Worker.ChatTurns;
using SkillForge.Worker.Tests.Degraded;
using SkillForge.Worker.WriteBehind;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// Write-behind through the real broker: PostgreSQL cut from a real worker (TCP proxy), turns of a cached session
/// answered, their writes held on the quorum, single-active-consumer queue and applied once PostgreSQL is back; and a
/// write the broker cannot route is not answered — the cache gives its version back. Own virtual host each.
/// </summary>
public sealed class WriteBehindOverRabbitMqTests
{
    [Fact]
    public async Task Should_hold_the_writes_on_a_durable_single_consumer_queue_and_apply_them_when_postgres_returns()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var proxy = TcpProxy.To(new NpgsqlConnectionStringBuilder(TestServers.Postgres).Port);
        await using var worker = await RealWorker.StartWorkerAsync(Settings(vhost, proxy));
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL");

        proxy.Cut();
        var second = await client.SendTurnAsync(key.TenantId, key.SessionId, "Name it sql-formatter");
        var third = await client.SendTurnAsync(key.TenantId, key.SessionId, "It should uppercase keywords");
        var queue = await vhost.GetQueueAsync(WriteBehindQueue.Name);
        proxy.Restore();
        var store = await SharedDatabase.CreateStoreAsync();
        var stored = await Eventually.ReadAsync(() => store.LoadAsync(key, default), s => s?.Version == 3);

        Assert.Equal((2L, 3L), (second.Replied!.Version, third.Replied!.Version));
        Assert.Equal("quorum", queue.GetProperty("arguments").GetProperty("x-queue-type").GetString());
        Assert.True(queue.GetProperty("arguments").GetProperty("x-single-active-consumer").GetBoolean());
        Assert.Equal(3, stored!.Version);
        var history = (await store.ReadHistoryAsync(key, 100, null, default))!.Messages;
        Assert.Equal([second.Replied.Reply, third.Replied.Reply], history.Where(m => m.Seq is 4 or 6).Select(m => m.Content));
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_not_answer_a_turn_whose_write_the_broker_returned_and_give_its_version_back()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var proxy = TcpProxy.To(new NpgsqlConnectionStringBuilder(TestServers.Postgres).Port);
        await using var worker = await RealWorker.StartWorkerAsync(Settings(vhost, proxy));
        var handler = worker.Services.GetRequiredService<ChatTurnHandler>();
        var cache = worker.Services.GetRequiredService<SessionCache>();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        Assert.True((await handler.HandleAsync(Turn(key, "I want a skill that formats SQL"), default)).Replied is not null);

        await vhost.UnbindAsync(WriteBehindQueue.Name);
        proxy.Cut();
        var refused = await Record.ExceptionAsync(() => handler.HandleAsync(Turn(key, "Name it sql-formatter"), default));
        var entry = await cache.GetEntryAsync(key);
        proxy.Restore();

        Assert.IsType<MassTransit.MessageReturnedException>(refused);
        Assert.Equal((1L, false), (entry!.Session.Version, entry.Pending));
    }

    private static Dictionary<string, string?> Settings(TestVirtualHost vhost, TcpProxy proxy) =>
        new(vhost.AsConfiguration())
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Port = proxy.Port, Timeout = 2 }.ConnectionString,
            ["Worker:UnavailableAfter"] = "00:00:03",
        };

    private static ProcessChatTurn Turn(SessionKey key, string text) =>
        new(key.TenantId, key.SessionId, Guid.NewGuid(), text, null, DateTimeOffset.UtcNow);
}
