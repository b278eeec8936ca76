using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.History;

public sealed class GetSessionHistoryConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<GetSessionHistoryConsumer>(options.Value, SkillForgeQueues.SessionHistory);
