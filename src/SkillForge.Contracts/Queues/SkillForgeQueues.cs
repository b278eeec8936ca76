namespace SkillForge.Contracts.Queues;

/// <summary>The worker's queues, named for operators, and where a sender sends to reach them.</summary>
public static class SkillForgeQueues
{
    public const string ChatTurns = "skillforge-chat-turns";
    public const string SessionHistory = "skillforge-session-history";
    public const string SessionErasure = "skillforge-session-erasure";
    public const string UserSessions = "skillforge-user-sessions";
    public const string SessionExport = "skillforge-session-export";
    public const string Cleanup = "skillforge-cleanup";

    /// <summary>Operator requests (listing a tenant's sessions); only the operator's broker user may send here.</summary>
    public const string Operations = "skillforge-operations";

    /// <summary>
    /// Where a sender sends to reach <paramref name="queue"/>: the fanout exchange <c>{queue}.in</c> that the worker
    /// (and ops/rabbitmq/definitions.json) binds to the queue. Its own name, not the queue's, because RabbitMQ's
    /// permissions match queues and exchanges by name alike: a sender must be allowed to declare the exchange it sends
    /// to (MassTransit declares it), and that must not let it delete the worker's queue. Not <c>queue:</c> either: that
    /// would declare the queue from the sender's side.
    /// </summary>
    public static Uri Address(string queue) => new($"exchange:{InboundExchange(queue)}");

    /// <summary>The exchange senders publish to for <paramref name="queue"/>.</summary>
    public static string InboundExchange(string queue) => $"{queue}.in";
}
