using MassTransit;
using Microsoft.Extensions.Hosting;
using SkillForge.Harness;

namespace SkillForge.Bench;

/// <summary>
/// The benchmark's bus (<see cref="ToolBus"/>) with the echo consumer that measures the transport's ceiling, on the
/// worker's transport settings: durable quorum queue, publisher confirms (MassTransit's default), prefetch 32, 16
/// concurrent messages.
/// </summary>
internal static class BenchBus
{
    public const string EchoQueue = "skillforge-bench-echo";
    public const int PrefetchCount = 32;
    public const int ConcurrentMessageLimit = 16;

    /// <param name="clusterNodes">host:port of each RabbitMQ cluster node; none for the single node of the RabbitMq__ settings.</param>
    public static Task<IHost> StartAsync(params string[] clusterNodes) => ToolBus.StartAsync(clusterNodes,
        bus =>
        {
            // exchange:, as the client does (SkillForgeQueues.Address): a queue: address would declare a classic
            // queue from the sender's side, which RabbitMQ refuses for this quorum queue.
            bus.AddRequestClient<EchoRequest>(new Uri($"exchange:{EchoQueue}"));
            bus.AddConsumer<EchoConsumer>();
        },
        (context, rabbit) => rabbit.ReceiveEndpoint(EchoQueue, endpoint =>
        {
            endpoint.SetQuorumQueue();
            endpoint.ConfigureConsumeTopology = false; // reached by its exchange only, as the worker's queues are
            endpoint.PrefetchCount = PrefetchCount;
            endpoint.ConcurrentMessageLimit = ConcurrentMessageLimit;
            endpoint.ConfigureConsumer<EchoConsumer>(context);
        }));
}

public sealed record EchoRequest(string TenantId, string SessionId, Guid TurnId, string Text);

public sealed record EchoReply(string TenantId, string SessionId, Guid TurnId, string Reply);

/// <summary>The best any consumer could do: answer at once, with a reply the size of a short agent answer.</summary>
public sealed class EchoConsumer : IConsumer<EchoRequest>
{
    public Task Consume(ConsumeContext<EchoRequest> context) =>
        context.RespondAsync(new EchoReply(context.Message.TenantId, context.Message.SessionId, context.Message.TurnId, context.Message.Text));
}
