namespace SkillForge.Contracts.Queues;

/// <summary>The worker's queues, named for operators.</summary>
public static class SkillForgeQueues
{
    public const string ChatTurns = "skillforge-chat-turns";
    public const string SessionHistory = "skillforge-session-history";
    public const string SessionErasure = "skillforge-session-erasure";
    public const string Cleanup = "skillforge-cleanup";

    /// <summary>
    /// Where a sender sends to reach <paramref name="queue"/>: the fanout exchange of the same name that the worker
    /// (and ops/rabbitmq/definitions.json) binds to the queue. Not <c>queue:</c>: with that address MassTransit
    /// declares the queue from the sender's side as a classic queue, which RabbitMQ refuses for the worker's quorum
    /// queues (PRECONDITION_FAILED, inequivalent arg 'x-queue-type'). Only the worker declares its queues.
    /// </summary>
    public static Uri Address(string queue) => new($"exchange:{queue}");
}
