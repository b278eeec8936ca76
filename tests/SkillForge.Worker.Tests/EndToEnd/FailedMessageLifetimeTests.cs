using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// Failed and dead messages hold users' text: the broker's definitions give every error, skipped and dead-letter queue
/// a bounded lifetime, so nothing waits there for ever unseen.
/// </summary>
public sealed class FailedMessageLifetimeTests
{
    [Theory]
    [InlineData("_error")]
    [InlineData("_skipped")]
    public async Task Should_give_error_and_skipped_queues_a_message_lifetime(string suffix)
    {
        var queue = $"skillforge-lifetime-probe-{Guid.NewGuid():N}{suffix}";
        await using var connection = await TestBroker.ConnectAsync(TestServers.RabbitMqWorker);
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        try
        {
            var policy = await Eventually.ReadAsync(() => EffectivePolicyAsync(queue), p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("message-ttl", out _));
            var deadLetter = await EffectivePolicyAsync("skillforge-dead-letter");

            Assert.Equal(14 * 24 * 3600 * 1000L, policy.GetProperty("message-ttl").GetInt64());
            Assert.Equal(14 * 24 * 3600 * 1000L, deadLetter.GetProperty("message-ttl").GetInt64());
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
        }
    }

    private static async Task<JsonElement> EffectivePolicyAsync(string queue)
    {
        using var http = TestBroker.Management();
        var described = await http.GetFromJsonAsync<JsonElement>($"api/queues/{TestServers.RabbitMqVirtualHost}/{queue}");
        return described.TryGetProperty("effective_policy_definition", out var policy) ? policy.Clone() : default;
    }
}
