using MassTransit;
using SkillForge.Contracts.Queues;

namespace SkillForge.Worker.Hosting;

/// <summary>Transport settings every skillforge endpoint shares.</summary>
internal static class EndpointPolicies
{
    public static void Apply(IReceiveEndpointConfigurator endpoint, string queue, WorkerOptions options)
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
