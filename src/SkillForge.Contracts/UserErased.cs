namespace SkillForge.Contracts;

/// <summary>Every session of the user in the tenant is gone: messages, rows and cache entries.</summary>
/// <param name="SessionsErased">How many sessions the request erased (over all its deliveries).</param>
/// <param name="MessagesDeleted">How many messages went with them.</param>
public sealed record UserErased(
    string TenantId,
    string UserId,
    int SessionsErased,
    long MessagesDeleted)
{
    /// <summary>How many of the user's messages were removed from the broker's error and dead-letter queues.</summary>
    public int CopiesDeleted { get; init; }
}
