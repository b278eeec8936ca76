using System.Text;
using RabbitMQ.Client;
using SkillForge.Contracts.Queues;
using SkillForge.Harness;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Hosting;

/// <summary>What the broker's operators rely on: the shovel behind <i>Move messages</i>, and the broker's own metrics.</summary>
public sealed class BrokerOperationsTests
{
    [Fact]
    public async Task Should_move_a_failed_message_back_to_its_queue_as_the_management_ui_does()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        var admin = new BrokerUser(TestServers.RabbitMqAdminUsername, TestServers.RabbitMqAdminPassword);
        var (queue, error) = (SkillForgeQueues.ChatTurns, $"{SkillForgeQueues.ChatTurns}_error");
        await using (var connection = await TestBroker.ConnectAsync(admin, vhost.Name))
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueDeclareAsync(error, durable: true, exclusive: false, autoDelete: false);
            await channel.BasicPublishAsync("", error, Encoding.UTF8.GetBytes("a failed turn"));
        }

        await vhost.MoveMessagesAsync(error, queue);

        // The management API counts messages with its statistics, every few seconds: ask the queues themselves.
        await using var check = await TestBroker.ConnectAsync(admin, vhost.Name);
        await using var probe = await check.CreateChannelAsync();
        await Eventually.HoldsAsync(async () => await probe.MessageCountAsync(queue) == 1, TimeSpan.FromSeconds(30), "the message in its queue again");
        Assert.Equal(0u, await probe.MessageCountAsync(error));
    }

    [Fact]
    public async Task Should_serve_the_brokers_own_metrics_for_prometheus()
    {
        using var http = new HttpClient();

        var metrics = await http.GetStringAsync(new Uri($"http://{TestServers.RabbitMqManagement.Host}:15692/metrics"));

        Assert.Contains("rabbitmq_queue_messages", metrics);
    }
}
