using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Cleanup;

/// <summary>Cleanup has its own queue and runs one message at a time per instance (runs across instances serialise on an advisory lock).</summary>
public sealed class CleanupSessionsConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<CleanupSessionsConsumer>(options.Value, SkillForgeQueues.Cleanup, concurrentMessageLimit: 1)
{
    protected override void Configure(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<CleanupSessionsConsumer> consumer)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = 1;
        }
    }
}
