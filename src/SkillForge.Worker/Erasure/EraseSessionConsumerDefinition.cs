using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Erasure;

public sealed class EraseSessionConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<EraseSessionConsumer>(options.Value, SkillForgeQueues.SessionErasure);
