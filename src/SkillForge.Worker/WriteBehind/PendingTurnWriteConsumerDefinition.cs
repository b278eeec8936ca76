using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.WriteBehind;

/// <summary>
/// One applier at a time across all instances (RabbitMQ single active consumer, concurrency 1): the queue's order is
/// the order writes are applied in. The version check makes order a guarantee, not a hope — a write whose predecessor
/// is not in PostgreSQL yet goes to the back of the queue (<see cref="PendingTurnWriteConsumer"/>).
/// </summary>
public sealed class PendingTurnWriteConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<PendingTurnWriteConsumer>(options.Value, WriteBehindQueue.Name, concurrentMessageLimit: 1)
{
    protected override void Configure(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<PendingTurnWriteConsumer> consumer)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SingleActiveConsumer = true;
        }
    }
}
