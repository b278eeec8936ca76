using MassTransit;
using SkillForge.Contracts.Queues;

namespace SkillForge.Worker.Hosting;

/// <summary>Transport settings and the retry every skillforge endpoint shares.</summary>
internal static class EndpointPolicies
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReceiveEndpointConfigurator, object> Applied = new();

    /// <summary>
    /// Consumers that share a queue (the operator's requests) are configured on one endpoint, each in turn: the shared
    /// settings and the retry go on it once, or every message would be retried inside a retry.
    /// </summary>
    public static void ApplyOnce(IReceiveEndpointConfigurator endpoint, string queue, WorkerOptions options)
    {
        if (Applied.TryAdd(endpoint, queue))
        {
            Apply(endpoint, queue, options);
            endpoint.UseMessageRetry(TransientFaults.Configure);
        }
    }

    private static void Apply(IReceiveEndpointConfigurator endpoint, string queue, WorkerOptions options)
    {
        // Quorum queues replicate across a RabbitMQ cluster and enforce the delivery limit of ops/rabbitmq's policy;
        // the in-memory test harness has no such notion. Either way, senders reach the queue through an exchange of
        // another name (SkillForgeQueues.Address says why).
        var inbound = SkillForgeQueues.InboundExchange(queue);
        // No exchange per message type bound to the queue: nobody publishes these messages, and such an exchange
        // would be a second way in that the broker's permissions would have to open to senders.
        endpoint.ConfigureConsumeTopology = false;
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
            rabbit.PrefetchCount = options.PrefetchCount;
            rabbit.Bind(inbound);
        }
        else if (endpoint is IInMemoryReceiveEndpointConfigurator memory)
        {
            memory.Bind(inbound);
        }
    }
}
