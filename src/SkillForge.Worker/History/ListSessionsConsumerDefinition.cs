using Microsoft.Extensions.Options;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.History;

/// <summary>
/// Listing is an operator request, so it has a queue of its own (<c>skillforge-operations</c>) that only the operator's
/// broker user may send to, apart from the history reads that upstream services send.
/// </summary>
public sealed class ListSessionsConsumerDefinition(IOptions<WorkerOptions> options)
    : SkillForgeConsumerDefinition<ListSessionsConsumer>(options.Value, SkillForgeQueues.Operations);
