using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.History;

public sealed class ExportSessionConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<ExportSessionConsumer>(options.Value, SkillForgeQueues.SessionExport);
