using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Where chat turns are consumed and how: the operator-facing queue name, quorum type, concurrency, the
/// per-session partitioner (turns of one session one at a time, in arrival order) and transient-fault retries.
/// </summary>
public sealed class ProcessChatTurnConsumerDefinition : ConsumerDefinition<ProcessChatTurnConsumer>
{
    private readonly WorkerOptions _options;

    public ProcessChatTurnConsumerDefinition(IOptions<WorkerOptions> options)
    {
        _options = options.Value;
        EndpointName = SkillForgeQueues.ChatTurns;
        ConcurrentMessageLimit = _options.ChatTurnConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ProcessChatTurnConsumer> consumerConfigurator, IRegistrationContext context)
    {
        EndpointPolicies.Apply(endpointConfigurator, _options);
        // The retry sits outside the partitioner so a waiting retry does not hold its session's partition.
        endpointConfigurator.UseMessageRetry(TransientFaults.Configure);
        var partitioner = endpointConfigurator.CreatePartitioner(_options.ChatTurnConcurrency);
        consumerConfigurator.Message<ProcessChatTurn>(m => m.UsePartitioner(partitioner, c => $"{c.Message.TenantId}\n{c.Message.SessionId}"));
    }
}
