using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Where chat turns are consumed and how: the operator-facing queue name, concurrency, and the per-session
/// partitioner (turns of one session one at a time, in arrival order).
/// </summary>
public sealed class ProcessChatTurnConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<ProcessChatTurnConsumer>(options.Value, SkillForgeQueues.ChatTurns, options.Value.ChatTurnConcurrency)
{
    // Inside the retry, so a waiting retry does not hold its session's partition.
    protected override void Configure(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ProcessChatTurnConsumer> consumer)
    {
        var partitioner = endpoint.CreatePartitioner(Options.ChatTurnConcurrency);
        consumer.Message<ProcessChatTurn>(m => m.UsePartitioner(partitioner, c => $"{c.Message.TenantId}\n{c.Message.SessionId}"));
    }
}
