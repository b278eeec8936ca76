using RabbitMQ.Client;
using SkillForge.Broker;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;
using SkillForge.Worker.WriteBehind;

namespace SkillForge.Worker.Tests.Hosting;

/// <summary>What every party sends about a session carries the session's ids in headers, for operators reading a queue.</summary>
public sealed class SessionHeadersTests
{
    [Fact]
    public void Should_find_the_ids_on_a_request_and_inside_a_queued_write_and_none_on_a_cleanup()
    {
        var turn = new ProcessChatTurn("acme", "s-1", Guid.NewGuid(), "hello", null, DateTimeOffset.UtcNow);
        var write = new PendingTurnWrite(new TurnToAppend
        {
            Key = new SessionKey("acme", "s-2"), TurnId = Guid.NewGuid(), ExpectedVersion = 0, UserText = "u", Reply = "r", PreviousState = "idle",
            State = "idle", Status = "active", ContextJson = "{}", At = DateTimeOffset.UtcNow,
        });

        Assert.Equal(("acme", "s-1"), SessionHeaders.Of(turn));
        Assert.Equal(("acme", "s-2"), SessionHeaders.Of(write));
        Assert.Null(SessionHeaders.Of(new CleanupSessions(null, true)));
    }

    [Fact]
    public async Task Should_send_a_turn_over_the_broker_with_its_tenant_and_session_in_headers()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        var admin = new BrokerUser(TestServers.RabbitMqAdminUsername, TestServers.RabbitMqAdminPassword);
        var probe = $"probe-{Guid.NewGuid():N}";
        await using var connection = await TestBroker.ConnectAsync(admin, vhost.Name);
        await using var channel = await connection.CreateChannelAsync();
        var exchange = SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns);
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync(probe, durable: false, exclusive: false, autoDelete: true);
        await channel.QueueBindAsync(probe, exchange, "");
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);

        // No worker in this virtual host: the request goes out and waits in the probe, unanswered.
        var pending = RealWorker.ClientOf(upstream).SendTurnAsync("acme", "s-headers", "hello");
        _ = pending.ContinueWith(t => t.Exception, TaskScheduler.Default);
        var message = await Eventually.ReadAsync(() => channel.BasicGetAsync(probe, autoAck: true), m => m is not null, TimeSpan.FromSeconds(10));

        Assert.NotNull(message);
        var headers = message.BasicProperties.Headers!;
        Assert.Equal("acme", System.Text.Encoding.UTF8.GetString((byte[])headers[SessionHeaders.TenantId]!));
        Assert.Equal("s-headers", System.Text.Encoding.UTF8.GetString((byte[])headers[SessionHeaders.SessionId]!));
    }
}
