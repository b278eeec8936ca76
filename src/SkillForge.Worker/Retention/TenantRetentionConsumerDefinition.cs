using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Retention;

/// <summary>A tenant's retention is an operator request: the operations queue, which only the operator's broker user may send to.</summary>
public sealed class TenantRetentionConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<TenantRetentionConsumer>(options.Value, SkillForgeQueues.Operations);
