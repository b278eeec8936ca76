namespace SkillForge.Contracts;

/// <summary>The session's messages, row and cache entry are gone.</summary>
/// <param name="Existed">A session with these ids existed.</param>
/// <param name="MessagesDeleted">How many messages were deleted.</param>
public sealed record SessionErased(
    string TenantId,
    string SessionId,
    bool Existed,
    int MessagesDeleted)
{
    /// <summary>How many of the session's messages were removed from the broker's error and dead-letter queues.</summary>
    public int CopiesDeleted { get; init; }
}
