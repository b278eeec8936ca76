using System.Text;
using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;
using SkillForge.Worker.Cleanup;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Tests.Security;

/// <summary>
/// What a stolen upstream credential can do, tried against the real broker and the real worker: each attack is
/// refused (by the broker's permissions, or by the worker's check of the broker-validated sender, audited), and
/// PostgreSQL and Redis hold afterwards exactly what they held before.
/// </summary>
public sealed class BrokerAttackTests(RealWorkerFixture fixture) : IClassFixture<RealWorkerFixture>
{
    private const int AccessRefused = 403;
    private const int PreconditionFailed = 406;

    /// <summary>The cleanup queue takes one message at a time, and another test's cleanup of the shared database may be running.</summary>
    private static readonly TimeSpan CleanupQueueWait = TimeSpan.FromSeconds(90);

    private SkillForgeClient Client => fixture.Client;

    public static TheoryData<string, string> RefusedPublishes => new()
    {
        // exchange, message type: what an upstream service must not be able to send at all.
        { SkillForgeQueues.InboundExchange(SkillForgeQueues.Cleanup), "SkillForge.Contracts:CleanupSessions" },
        { SkillForgeQueues.Cleanup, "SkillForge.Contracts:CleanupSessions" },
        { SkillForgeQueues.InboundExchange("skillforge-pending-writes"), "SkillForge.Worker.WriteBehind:PendingTurnWrite" },
        { SkillForgeQueues.InboundExchange(SkillForgeQueues.Operations), "SkillForge.Contracts.Operations:ListSessions" },
        { SkillForgeQueues.InboundExchange(SkillForgeQueues.Operations), "SkillForge.Contracts.Operations:ReleaseLegalHold" },
        { SkillForgeQueues.InboundExchange(SkillForgeQueues.Operations), "SkillForge.Contracts.Operations:SetTenantRetention" },
        { SkillForgeQueues.ChatTurns, "SkillForge.Contracts:ProcessChatTurn" },
    };

    [Theory]
    [MemberData(nameof(RefusedPublishes))]
    public async Task Should_refuse_the_upstream_a_publish_to_operator_and_internal_exchanges(string exchange, string messageType)
    {
        var before = await SnapshotAsync();
        var body = messageType.EndsWith(":CleanupSessions", StringComparison.Ordinal)
            ? new { asOf = "2100-01-01T00:00:00Z", dryRun = false }
            : (object)new { tenantId = before.Key.TenantId, sessionId = before.Key.SessionId };

        var code = await RefusalCodeAsync(TestServers.RabbitMqUpstream, channel => PublishAsync(channel, exchange, messageType, body, userId: null));

        Assert.Equal(AccessRefused, code);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Should_refuse_the_upstream_binding_a_queue_to_the_chat_turns()
    {
        var queue = $"reply.{TestServers.RabbitMqUpstream.Name}.eavesdrop-{Guid.NewGuid():N}";
        foreach (var exchange in new[] { SkillForgeQueues.ChatTurns, SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns) })
        {
            var code = await RefusalCodeAsync(TestServers.RabbitMqUpstream, async channel =>
            {
                await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: true);
                await channel.QueueBindAsync(queue, exchange, "");
            });
            Assert.Equal(AccessRefused, code);
        }
    }

    [Fact]
    public async Task Should_refuse_the_upstream_consuming_or_deleting_the_workers_queues()
    {
        var before = await SnapshotAsync();

        var consume = await RefusalCodeAsync(TestServers.RabbitMqUpstream,
            channel => channel.BasicConsumeAsync(SkillForgeQueues.ChatTurns, autoAck: false, new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(channel)));
        var get = await RefusalCodeAsync(TestServers.RabbitMqUpstream, channel => channel.BasicGetAsync(SkillForgeQueues.ChatTurns, autoAck: false));
        var delete = await RefusalCodeAsync(TestServers.RabbitMqUpstream, channel => channel.QueueDeleteAsync(SkillForgeQueues.ChatTurns));
        var purge = await RefusalCodeAsync(TestServers.RabbitMqUpstream, channel => channel.QueuePurgeAsync(SkillForgeQueues.ChatTurns));

        Assert.Equal((AccessRefused, AccessRefused, AccessRefused, AccessRefused), (consume, get, delete, purge));
        Assert.True((await Client.SendTurnAsync(before.Key.TenantId, $"{before.Key.SessionId}-after", "I want a skill that formats SQL")).IsReplied,
            "the chat-turn queue still works");
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Should_refuse_a_publish_whose_user_id_names_another_party()
    {
        var before = await SnapshotAsync();

        var code = await RefusalCodeAsync(TestServers.RabbitMqUpstream, channel => PublishAsync(channel,
            SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns), "SkillForge.Contracts:ProcessChatTurn",
            new { tenantId = before.Key.TenantId, sessionId = before.Key.SessionId, turnId = Guid.NewGuid(), text = "forged", sentAt = DateTimeOffset.UtcNow },
            userId: TestServers.RabbitMqOperator.Name));

        Assert.Equal(PreconditionFailed, code);
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Should_drop_and_audit_a_real_cleanup_from_a_user_that_is_not_the_operator()
    {
        // The administrator may publish anywhere, but is not one of the parties the worker takes operator messages from.
        var admin = new BrokerUser(TestServers.RabbitMqAdminUsername, TestServers.RabbitMqAdminPassword);
        var before = await SnapshotAsync();
        var messageId = Guid.NewGuid();

        await WithChannelAsync(admin, channel => PublishAsync(channel, SkillForgeQueues.InboundExchange(SkillForgeQueues.Cleanup),
            "SkillForge.Contracts:CleanupSessions", new { asOf = "2100-01-01T00:00:00Z", dryRun = false }, userId: admin.Name, messageId));

        Assert.Equal((SenderCheck.UntrustedSender, admin.Name), await Eventually.ReadAsync(() => RefusalAsync(messageId), r => r.Reason is not null, CleanupQueueWait));
        await AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Should_drop_and_audit_a_hold_release_or_retention_change_from_a_user_that_is_not_the_operator()
    {
        var admin = new BrokerUser(TestServers.RabbitMqAdminUsername, TestServers.RabbitMqAdminPassword);
        var tenant = TestIds.Tenant();
        var operations = SkillForgeQueues.InboundExchange(SkillForgeQueues.Operations);
        using var operatorBus = await RealWorker.StartUpstreamAsync(user: TestServers.RabbitMqOperator);
        var operatorClient = operatorBus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();
        var (placed, _) = await operatorClient.PlaceHoldAsync(new PlaceLegalHold(tenant, null, null, "case 1", "alice"));
        var (release, retention) = (Guid.NewGuid(), Guid.NewGuid());

        await WithChannelAsync(admin, async channel =>
        {
            await PublishAsync(channel, operations, "SkillForge.Contracts.Operations:ReleaseLegalHold",
                new { tenantId = tenant, releasedBy = "mallory" }, userId: admin.Name, release);
            await PublishAsync(channel, operations, "SkillForge.Contracts.Operations:SetTenantRetention",
                new { tenantId = tenant, deleteCompletedAfter = "1.00:00:00", changedBy = "mallory" }, userId: admin.Name, retention);
        });

        Assert.Equal((SenderCheck.UntrustedSender, admin.Name), await Eventually.ReadAsync(() => RefusalAsync(release), r => r.Reason is not null));
        Assert.Equal((SenderCheck.UntrustedSender, admin.Name), await Eventually.ReadAsync(() => RefusalAsync(retention), r => r.Reason is not null));
        Assert.Equal([placed!.Hold.Id], (await operatorClient.ListHoldsAsync(tenant)).Holds.Select(h => h.Id));
        Assert.False((await operatorClient.GetRetentionAsync(tenant)).Retention!.Custom);
        await operatorClient.ReleaseHoldAsync(new ReleaseLegalHold(tenant, null, null, "alice"));
    }

    [Fact]
    public async Task Should_refuse_and_audit_a_real_cleanup_dated_in_the_future_even_from_the_operator()
    {
        using var operatorBus = await RealWorker.StartUpstreamAsync(user: TestServers.RabbitMqOperator);
        var before = await SnapshotAsync();
        var messageId = Guid.NewGuid();

        var endpoint = await operatorBus.Services.GetRequiredService<IBus>().GetSendEndpoint(SkillForgeQueues.Address(SkillForgeQueues.Cleanup));
        await endpoint.Send(new CleanupSessions(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), DryRun: false), context => context.MessageId = messageId);

        Assert.Equal((CleanupSessionsConsumer.AsOfInFuture, TestServers.RabbitMqOperator.Name),
            await Eventually.ReadAsync(() => RefusalAsync(messageId), r => r.Reason is not null, CleanupQueueWait));
        await AssertUnchangedAsync(before);
    }

    /// <summary>A session of this test's own in PostgreSQL and Redis, and what both hold of it.</summary>
    private sealed record Snapshot(SessionKey Key, string Rows, string? Cached);

    private async Task<Snapshot> SnapshotAsync()
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        Assert.True((await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL")).IsReplied);
        return await ReadAsync(key);
    }

    private static async Task<Snapshot> ReadAsync(SessionKey key)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        var rows = string.Join("\n", await connection.QueryAsync<string>("""
            SELECT row_to_json(s)::text FROM sessions s WHERE tenant_id = @TenantId AND session_id = @SessionId
            UNION ALL
            SELECT row_to_json(t)::text FROM (SELECT * FROM turns WHERE tenant_id = @TenantId AND session_id = @SessionId ORDER BY turn_no) t
            """, new { key.TenantId, key.SessionId }));
        var cached = await TestRedis.Shared.GetDatabase().HashGetAsync(SessionCache.KeyOf(key), "d");
        return new Snapshot(key, rows, cached.IsNull ? null : (string?)cached);
    }

    private static async Task AssertUnchangedAsync(Snapshot before)
    {
        // Whatever a refused message might have set off would have happened by now: the worker answers a turn in ms.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var after = await ReadAsync(before.Key);
        Assert.Equal(before.Rows, after.Rows);
        Assert.Equal(before.Cached, after.Cached);
        Assert.Contains("\"status\":\"active\"", after.Rows);
    }

    private static async Task<(string? Reason, string? Sender)> RefusalAsync(Guid messageId)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(string Reason, string Sender)?>(
            "SELECT reason, sender FROM refused_messages WHERE message_id = @messageId", new { messageId });
        return (row?.Reason, row?.Sender);
    }

    /// <summary>The AMQP reply code the broker closed the channel (or connection) with, or 0 when it allowed the operation.</summary>
    private static async Task<int> RefusalCodeAsync(BrokerUser user, Func<IChannel, Task> attack)
    {
        try
        {
            await WithChannelAsync(user, attack);
            return 0;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason is { } reason)
        {
            return reason.ReplyCode;
        }
        catch (RabbitMQ.Client.Exceptions.PublishException)
        {
            return AccessRefused;
        }
    }

    private static async Task WithChannelAsync(BrokerUser user, Func<IChannel, Task> action)
    {
        await using var connection = await TestBroker.ConnectAsync(user);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await action(channel);
    }

    /// <summary>A MassTransit envelope as any AMQP client can write it, published with confirms.</summary>
    private static async Task PublishAsync(IChannel channel, string exchange, string messageType, object message, string? userId, Guid? messageId = null)
    {
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId = messageId ?? Guid.NewGuid(),
            messageType = new[] { $"urn:message:{messageType}" },
            message,
            sentTime = DateTime.UtcNow,
        });
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, UserId = userId };
        await channel.BasicPublishAsync(exchange, "", mandatory: false, properties, envelope);
    }
}
