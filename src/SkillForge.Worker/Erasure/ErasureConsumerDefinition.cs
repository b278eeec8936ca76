using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Erasure;

public sealed class ErasureConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<ErasureConsumer>(options.Value, SkillForgeQueues.SessionErasure);
