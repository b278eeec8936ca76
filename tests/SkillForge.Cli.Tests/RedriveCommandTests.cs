using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using SkillForge.Contracts.Queues;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Cli.Tests;

/// <summary>
/// `redrive` moves a failed turn back to the worker, in a virtual host of the test's own: it empties the whole
/// `_error` queue, which other tests' workers use on the shared one.
/// </summary>
public sealed class RedriveCommandTests
{
    [Fact]
    public async Task Should_redrive_a_turn_forced_into_the_error_queue()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());
        await ForceIntoErrorQueueAsync(vhost.Name, tenant, session);

        var (exit, output) = await CliRunner.RunWithAsync(vhost.AsConfiguration(), "", "redrive", "--queue", SkillForgeQueues.ChatTurns, "--yes");

        Assert.Equal(0, exit);
        Assert.Contains("Moved 1 messages", output, StringComparison.Ordinal);
        Assert.Contains("The worker answered the turns: 1 replied.", output, StringComparison.Ordinal);
        var history = await Eventually.ReadAsync(async () => (await client.GetHistoryAsync(tenant, session)).History, h => h is not null,
            TimeSpan.FromSeconds(30));
        Assert.Equal("a turn that failed once", history!.Messages[0].Content);
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_say_that_the_worker_refused_a_redriven_turn_of_a_session_erased_after_it_was_sent()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());
        Assert.True((await client.SendTurnAsync(tenant, session, "I want a skill that formats SQL")).IsReplied);
        var sentBeforeErasure = DateTimeOffset.UtcNow.AddSeconds(-1);
        Assert.True((await client.EraseAsync(tenant, session, "user request")).Erased!.Existed);
        await ForceIntoErrorQueueAsync(vhost.Name, tenant, session, sentBeforeErasure);

        var (exit, output) = await CliRunner.RunWithAsync(vhost.AsConfiguration(), "", "redrive", "--queue", SkillForgeQueues.ChatTurns, "--yes", "--json");

        Assert.True(exit == 0, output);
        using var answer = JsonDocument.Parse(output);
        Assert.Equal(1, answer.RootElement.GetProperty("moved").GetInt32());
        var answers = answer.RootElement.GetProperty("answers");
        Assert.Equal(0, answers.GetProperty("replied").GetInt32());
        Assert.Equal(1, answers.GetProperty("refused").GetProperty("session_erased").GetInt32());
        Assert.False((await client.GetHistoryAsync(tenant, session)).Found); // the erased conversation did not come back
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_stop_and_keep_the_rest_when_the_target_queue_is_full()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        using var upstream = await RealWorker.FillChatTurnQueueAsync(vhost);
        await ForceIntoErrorQueueAsync(vhost.Name, TestIds.Tenant(), TestIds.Session());
        await ForceIntoErrorQueueAsync(vhost.Name, TestIds.Tenant(), TestIds.Session());

        var (exit, output) = await CliRunner.RunWithAsync(vhost.AsConfiguration(), "", "redrive", "--queue", SkillForgeQueues.ChatTurns, "--yes", "--timeout", "5");

        Assert.True(exit == 3, output);
        Assert.Contains("Moved 0 messages", output, StringComparison.Ordinal);
        Assert.Contains($"{SkillForgeQueues.ChatTurns} is full", output, StringComparison.Ordinal);
        Assert.Contains("the other 2 stay in", output, StringComparison.Ordinal);
        Assert.Contains("The worker answered the turns: 0 replied.", output, StringComparison.Ordinal); // nothing waited for
        await using var connection = await TestBroker.ConnectAsync(TestServers.RabbitMqWorker, vhost.Name);
        await using var channel = await connection.CreateChannelAsync();
        Assert.Equal(2u, (await channel.QueueDeclarePassiveAsync($"{SkillForgeQueues.ChatTurns}_error")).MessageCount);
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_redrive_from_an_error_queue_with_a_single_active_consumer()
    {
        // The write-behind queue's _error queue copies its single active consumer, which refuses basic.get.
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        var errorQueue = $"{WriteBehindQueueName}_error";
        await using (var connection = await TestBroker.ConnectAsync(TestServers.RabbitMqWorker, vhost.Name))
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum", ["x-single-active-consumer"] = true });
            await channel.ExchangeDeclareAsync(errorQueue, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(errorQueue, errorQueue, "");
            await channel.BasicPublishAsync(errorQueue, "", mandatory: true,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true }, Encoding.UTF8.GetBytes("{}"));
        }

        var (exit, output) = await CliRunner.RunWithAsync(vhost.AsConfiguration(), "", "redrive", "--queue", WriteBehindQueueName, "--yes");

        Assert.True(exit == 0, output);
        Assert.Contains($"Moved 1 messages from {errorQueue}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_redrive_through_the_cluster_node_that_answers()
    {
        // The configured host is a dead port; only the second cluster node answers, as when the first node is down.
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());
        await ForceIntoErrorQueueAsync(vhost.Name, tenant, session);
        var settings = vhost.AsConfiguration();
        settings["RabbitMq:Port"] = "1";
        settings["RabbitMq:ClusterNodes:0"] = "127.0.0.1:1";
        settings["RabbitMq:ClusterNodes:1"] = $"{TestServers.RabbitMqHost}:{TestServers.RabbitMqPort}";

        var (exit, output) = await CliRunner.RunWithAsync(settings, "", "redrive", "--queue", SkillForgeQueues.ChatTurns, "--yes");

        Assert.True(exit == 0, output);
        Assert.Contains("Moved 1 messages", output, StringComparison.Ordinal);
    }

    /// <summary>The write-behind queue (an internal one: the contracts do not name it).</summary>
    private const string WriteBehindQueueName = "skillforge-pending-writes";

    private static async Task ForceIntoErrorQueueAsync(string virtualHost, string tenant, string session, DateTimeOffset? sentAt = null)
    {
        await using var connection = await TestBroker.ConnectAsync(TestServers.RabbitMqWorker, virtualHost);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var errorQueue = $"{SkillForgeQueues.ChatTurns}_error";
        // As MassTransit declares it at the first fault: the same quorum type as the endpoint's queue.
        await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        var envelope = JsonSerializer.Serialize(new
        {
            messageId = Guid.NewGuid(),
            destinationAddress = $"rabbitmq://{TestServers.RabbitMqHost}/{virtualHost}/{SkillForgeQueues.ChatTurns}",
            messageType = new[] { "urn:message:SkillForge.Contracts:ProcessChatTurn" },
            message = new { tenantId = tenant, sessionId = session, turnId = Guid.NewGuid(), text = "a turn that failed once", sentAt = sentAt ?? DateTimeOffset.UtcNow },
            sentTime = DateTime.UtcNow,
        });
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };
        // Through an exchange of the queue's name, as MassTransit binds one: nobody may publish to the default exchange.
        await channel.ExchangeDeclareAsync(errorQueue, ExchangeType.Fanout, durable: true);
        await channel.QueueBindAsync(errorQueue, errorQueue, "");
        await channel.BasicPublishAsync(errorQueue, "", mandatory: true, properties, Encoding.UTF8.GetBytes(envelope));
    }
}
