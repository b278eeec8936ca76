using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Where chat turns are consumed and how: the operator-facing queue name, concurrency, admission (a bound on the
/// turns one session or tenant may have waiting) and the per-session partitioner (turns of one session one at a
/// time, in arrival order).
/// </summary>
public sealed class ProcessChatTurnConsumerDefinition(IOptions<WorkerOptions> options, TurnAdmissionFilter admission)
    : SkillForgeConsumerDefinition<ProcessChatTurnConsumer>(options.Value, SkillForgeQueues.ChatTurns, options.Value.ChatTurnConcurrency)
{
    // Inside the retry, so a waiting retry does not hold its session's partition; admission before the partitioner,
    // so a refused turn never waits for its session.
    protected override void Configure(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ProcessChatTurnConsumer> consumer)
    {
        var partitioner = endpoint.CreatePartitioner(Options.ChatTurnConcurrency);
        consumer.Message<ProcessChatTurn>(m =>
        {
            m.UseFilter(admission);
            m.UsePartitioner(partitioner, c => $"{c.Message.TenantId}\n{c.Message.SessionId}");
        });
    }
}
