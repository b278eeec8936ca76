using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Client;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.History;

public sealed class GetSessionHistoryConsumerDefinition : ConsumerDefinition<GetSessionHistoryConsumer>
{
    private readonly WorkerOptions _options;

    public GetSessionHistoryConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
        EndpointName = SkillForgeQueues.SessionHistory;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<GetSessionHistoryConsumer> consumerConfigurator, IRegistrationContext context)
    {
        EndpointPolicies.Apply(endpointConfigurator, _options);
        endpointConfigurator.UseMessageRetry(TransientFaults.Configure);
    }
}
