using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Client;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Cleanup;

/// <summary>Cleanup has its own queue and runs one message at a time per instance (runs across instances serialise on an advisory lock).</summary>
public sealed class CleanupSessionsConsumerDefinition : ConsumerDefinition<CleanupSessionsConsumer>
{
    private readonly WorkerOptions _options;

    public CleanupSessionsConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
        EndpointName = SkillForgeQueues.Cleanup;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CleanupSessionsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        EndpointPolicies.Apply(endpointConfigurator, _options);
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = 1;
        }
        endpointConfigurator.UseMessageRetry(TransientFaults.Configure);
    }
}
