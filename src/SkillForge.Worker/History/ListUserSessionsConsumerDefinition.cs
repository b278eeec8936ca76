using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.History;

public sealed class ListUserSessionsConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<ListUserSessionsConsumer>(options.Value, SkillForgeQueues.UserSessions);
