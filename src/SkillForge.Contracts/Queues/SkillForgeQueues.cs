namespace SkillForge.Contracts.Queues;

/// <summary>The worker's queues, named for operators, and where a sender sends to reach them.</summary>
public static class SkillForgeQueues
{
    /// <summary>Chat turns (<c>ProcessChatTurn</c>); upstream services send here.</summary>
    public const string ChatTurns = "skillforge-chat-turns";

    /// <summary>History requests (<c>GetSessionHistory</c>).</summary>
    public const string SessionHistory = "skillforge-session-history";

    /// <summary>Erasure of a session or of a user's sessions (<c>EraseSession</c>, <c>EraseUser</c>).</summary>
    public const string SessionErasure = "skillforge-session-erasure";

    /// <summary>A user's sessions, a page at a time (<c>ListUserSessions</c>).</summary>
    public const string UserSessions = "skillforge-user-sessions";

    /// <summary>A session's export with every message (<c>ExportSession</c>).</summary>
    public const string SessionExport = "skillforge-session-export";

    /// <summary>Cleanup runs (<c>CleanupSessions</c>); only the operator and the worker's schedule send here.</summary>
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
