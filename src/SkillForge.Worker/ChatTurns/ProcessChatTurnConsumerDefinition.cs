using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Where chat turns are consumed and how: the operator-facing queue name, concurrency, and admission: turns of one
/// session one at a time in arrival order, with a bound on the turns one session or tenant may have waiting.
/// </summary>
public sealed class ProcessChatTurnConsumerDefinition(IOptions<WorkerOptions> options, TurnAdmissionFilter admission)
    : SkillForgeConsumerDefinition<ProcessChatTurnConsumer>(options.Value, SkillForgeQueues.ChatTurns, options.Value.ChatTurnConcurrency)
{
    // Inside the retry, so a waiting retry does not hold its session's place in line.
    protected override void Configure(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ProcessChatTurnConsumer> consumer) =>
        consumer.Message<ProcessChatTurn>(m => m.UseFilter(admission));
}
