using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Client;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Erasure;

public sealed class EraseSessionConsumerDefinition : ConsumerDefinition<EraseSessionConsumer>
{
    private readonly WorkerOptions _options;

    public EraseSessionConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
        EndpointName = SkillForgeQueues.SessionErasure;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<EraseSessionConsumer> consumerConfigurator, IRegistrationContext context)
    {
        EndpointPolicies.Apply(endpointConfigurator, _options);
        endpointConfigurator.UseMessageRetry(TransientFaults.Configure);
    }
}
