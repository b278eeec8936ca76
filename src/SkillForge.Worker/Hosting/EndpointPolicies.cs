using MassTransit;

namespace SkillForge.Worker.Hosting;

/// <summary>Transport settings every skillforge endpoint shares.</summary>
internal static class EndpointPolicies
{
    public static void Apply(IReceiveEndpointConfigurator endpoint, WorkerOptions options)
    {
        // Quorum queues replicate across a RabbitMQ cluster and enforce the delivery limit of ops/rabbitmq's policy.
        // The in-memory test harness has no such notion, hence the type check.
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue();
            rabbit.PrefetchCount = options.PrefetchCount;
        }
    }
}
