using System.Text;
using RabbitMQ.Client;
using SkillForge.Broker;
using SkillForge.Contracts.Queues;
using SkillForge.Harness;

namespace SkillForge.Chaos;

/// <summary>Faults the suite injects beyond stopping servers: poison messages, and the shell that runs ops/dev.sh.</summary>
internal static partial class ChaosSuite
{
    /// <summary>Malformed JSON, an unknown message type and an oversized body, straight into the chat-turn queue.</summary>
    private static async Task PublishPoisonAsync()
    {
        var factory = BrokerConnection.CreateConnectionFactory(ToolBus.Options(), "skillforge-chaos-poison");
        await using var connection = await factory.CreateConnectionAsync();
        var error = $"{SkillForgeQueues.ChatTurns}_error";
        var skipped = $"{SkillForgeQueues.ChatTurns}_skipped";
        var (errorBefore, skippedBefore) = (await CountAsync(connection, error), await CountAsync(connection, skipped));
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };
        await channel.BasicPublishAsync(SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns), "", true, properties, Encoding.UTF8.GetBytes("{ this is not json"));
        await channel.BasicPublishAsync(SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns), "", true, properties, Encoding.UTF8.GetBytes(
            """{"messageId":"0d9f2f8e-0000-0000-0000-000000000001","messageType":["urn:message:Nobody:UnknownCommand"],"message":{}}"""));
        try
        {
            await channel.BasicPublishAsync(SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns), "", true, properties, new byte[5 * 1024 * 1024]);
        }
        catch (Exception e)
        {
            // The broker refuses bodies over max_message_size (ops/rabbitmq): that is the expected outcome.
            Console.WriteLine($"   oversized body refused by the broker: {e.GetType().Name}");
        }

        // The malformed body goes to _error, the unknown type to _skipped; the worker keeps serving (the load shows it).
        for (var waited = 0; waited < 20; waited++)
        {
            var (errors, skips) = (await CountAsync(connection, error), await CountAsync(connection, skipped));
            if (errors > errorBefore && skips > skippedBefore)
            {
                Console.WriteLine($"   {error}: +{errors - errorBefore}, {skipped}: +{skips - skippedBefore}");
                return;
            }
            await Task.Delay(500);
        }
        throw new ChaosCheckException($"the poison did not land in {error} and {skipped}");
    }

    private static async Task Shell(string command) =>
        Console.WriteLine($"   $ {command} → exit {await RunToolAsync("bash", ["-c", command], null)}");
}
