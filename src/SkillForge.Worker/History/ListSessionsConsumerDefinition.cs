using MassTransit;
using SkillForge.Contracts.Queues;

namespace SkillForge.Worker.History;

/// <summary>
/// Listing shares the reads' endpoint (<c>skillforge-session-history</c>): no queue of its own to declare and watch.
/// The endpoint's policies (quorum queue, prefetch, retries) are configured once, by
/// <see cref="GetSessionHistoryConsumerDefinition"/>; configuring them here again would nest a second retry filter.
/// </summary>
public sealed class ListSessionsConsumerDefinition : ConsumerDefinition<ListSessionsConsumer>
{
    public ListSessionsConsumerDefinition() => EndpointName = SkillForgeQueues.SessionHistory;
}
