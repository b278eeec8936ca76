using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkillForge.Broker;
using SkillForge.Client;
using SkillForge.Contracts.Queues;

namespace SkillForge.Bench;

/// <summary>
/// The benchmark's own bus on the same RabbitMQ, with the worker's transport settings: durable quorum queue,
/// publisher confirms (MassTransit's default), prefetch 32, 16 concurrent messages. Hosts the echo consumer that
/// measures the transport's ceiling, and the typed client that drives the real worker.
/// </summary>
internal static class BenchBus
{
    public const string EchoQueue = "skillforge-bench-echo";
    public const int PrefetchCount = 32;
    public const int ConcurrentMessageLimit = 16;

    /// <param name="clusterNodes">host:port of each RabbitMQ cluster node; none for the single node of the RabbitMq__ settings.</param>
    public static async Task<IHost> StartAsync(params string[] clusterNodes)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddSkillForgeClient();
            bus.DisableUsageTelemetry(); // as the worker does (WorkerHostingExtensions)
            // exchange:, as the client does (SkillForgeQueues.Address): a queue: address would declare a classic
            // queue from the sender's side, which RabbitMQ refuses for this quorum queue.
            bus.AddRequestClient<EchoRequest>(new Uri($"exchange:{EchoQueue}"));
            bus.AddConsumer<EchoConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                // The worker's user: this bus both serves the echo queue (a skillforge- queue, as the worker's are) and
                // sends chat turns, which only the worker's permissions cover together.
                rabbit.UseSkillForgeBroker(new RabbitMqOptions
                {
                    Host = Env("RabbitMq__Host", "127.0.0.1"),
                    VirtualHost = Env("RabbitMq__VirtualHost", "skillforge"),
                    Username = Env("RabbitMq__Username", "skillforge-worker"),
                    Password = Env("RabbitMq__Password", "skillforge-worker"),
                    ClusterNodes = clusterNodes,
                }, "skillforge-bench");
                rabbit.ReceiveEndpoint(EchoQueue, endpoint =>
                {
                    endpoint.SetQuorumQueue();
                    endpoint.ConfigureConsumeTopology = false; // reached by its exchange only, as the worker's queues are
                    endpoint.PrefetchCount = PrefetchCount;
                    endpoint.ConcurrentMessageLimit = ConcurrentMessageLimit;
                    endpoint.ConfigureConsumer<EchoConsumer>(context);
                });
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
}

public sealed record EchoRequest(string TenantId, string SessionId, Guid TurnId, string Text);

public sealed record EchoReply(string TenantId, string SessionId, Guid TurnId, string Reply);

/// <summary>The best any consumer could do: answer at once, with a reply the size of a short agent answer.</summary>
public sealed class EchoConsumer : IConsumer<EchoRequest>
{
    public Task Consume(ConsumeContext<EchoRequest> context) =>
        context.RespondAsync(new EchoReply(context.Message.TenantId, context.Message.SessionId, context.Message.TurnId, context.Message.Text));
}
