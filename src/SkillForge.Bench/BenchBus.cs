using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SkillForge.Harness;

namespace SkillForge.Bench;

/// <summary>
/// The benchmark's bus (<see cref="ToolBus"/>) and the two echoes that chat turns are measured against, both on the
/// worker's transport settings (durable quorum queue, publisher confirms, prefetch 32, 16 concurrent messages): the
/// bare echo, the transport's ceiling, and the durable echo, which commits one row to PostgreSQL before it answers,
/// the floor of any worker that never loses an answered turn.
/// </summary>
internal static class BenchBus
{
    public const string EchoQueue = "skillforge-bench-echo";
    public const string DurableEchoQueue = "skillforge-bench-durable-echo";
    public const int PrefetchCount = 32;
    public const int ConcurrentMessageLimit = 16;

    /// <summary>The senders' bus: the typed client and the request clients of both echoes.</summary>
    /// <param name="clusterNodes">host:port of each RabbitMQ cluster node; none for the single node of the RabbitMq__ settings.</param>
    public static Task<IHost> StartAsync(params string[] clusterNodes) => ToolBus.StartAsync(clusterNodes, bus =>
    {
        // exchange:, as the client does (SkillForgeQueues.Address): a queue: address would declare a classic
        // queue from the sender's side, which RabbitMQ refuses for these quorum queues.
        bus.AddRequestClient<EchoRequest>(new Uri($"exchange:{EchoQueue}"));
        bus.AddRequestClient<DurableEchoRequest>(new Uri($"exchange:{DurableEchoQueue}"));
    });

    /// <summary>The echoes' own bus, for the echo process (<see cref="EchoServer"/>).</summary>
    public static Task<IHost> StartEchoesAsync(NpgsqlDataSource database) => ToolBus.StartAsync([],
        bus =>
        {
            bus.AddSingleton(database);
            bus.AddConsumer<EchoConsumer>();
            bus.AddConsumer<DurableEchoConsumer>();
        },
        (context, rabbit) =>
        {
            rabbit.ReceiveEndpoint(EchoQueue, endpoint =>
            {
                Configure(endpoint);
                endpoint.ConfigureConsumer<EchoConsumer>(context);
            });
            rabbit.ReceiveEndpoint(DurableEchoQueue, endpoint =>
            {
                Configure(endpoint);
                endpoint.ConfigureConsumer<DurableEchoConsumer>(context);
            });
        });

    private static void Configure(IRabbitMqReceiveEndpointConfigurator endpoint)
    {
        endpoint.SetQuorumQueue();
        endpoint.ConfigureConsumeTopology = false; // reached by its exchange only, as the worker's queues are
        endpoint.PrefetchCount = PrefetchCount;
        endpoint.ConcurrentMessageLimit = ConcurrentMessageLimit;
    }
}

public sealed record EchoRequest(string TenantId, string SessionId, Guid TurnId, string Text);

public sealed record EchoReply(string TenantId, string SessionId, Guid TurnId, string Reply);

public sealed record DurableEchoRequest(string TenantId, string SessionId, Guid TurnId, string Text);

/// <summary>The best any consumer could do: answer at once, with a reply the size of a short agent answer.</summary>
public sealed class EchoConsumer : IConsumer<EchoRequest>
{
    public Task Consume(ConsumeContext<EchoRequest> context) =>
        context.RespondAsync(new EchoReply(context.Message.TenantId, context.Message.SessionId, context.Message.TurnId, context.Message.Text));
}

/// <summary>The best a durable consumer could do: one committed (fsynced) insert, then the answer.</summary>
public sealed class DurableEchoConsumer(NpgsqlDataSource database) : IConsumer<DurableEchoRequest>
{
    public const string Table = "bench_echo";

    public async Task Consume(ConsumeContext<DurableEchoRequest> context)
    {
        var m = context.Message;
        await using (var command = database.CreateCommand($"INSERT INTO {Table} (turn_id, tenant_id, session_id, text) VALUES ($1, $2, $3, $4)"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = m.TurnId });
            command.Parameters.Add(new NpgsqlParameter { Value = m.TenantId });
            command.Parameters.Add(new NpgsqlParameter { Value = m.SessionId });
            command.Parameters.Add(new NpgsqlParameter { Value = m.Text });
            await command.ExecuteNonQueryAsync(context.CancellationToken);
        }
        await context.RespondAsync(new EchoReply(m.TenantId, m.SessionId, m.TurnId, m.Text));
    }
}
