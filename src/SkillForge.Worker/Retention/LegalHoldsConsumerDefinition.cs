using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Retention;

/// <summary>Holds are operator requests: the operations queue, which only the operator's broker user may send to.</summary>
public sealed class LegalHoldsConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<LegalHoldsConsumer>(options.Value, SkillForgeQueues.Operations);
