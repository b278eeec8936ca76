using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;

namespace SkillForge.Worker.ChatTurns;

/// <summary>The session a turn starts from (null for a new one), where it came from, and whether it is ahead of PostgreSQL.</summary>
/// <param name="Resumed">Read from PostgreSQL, not the cache.</param>
/// <param name="Pending">A cache entry whose newest writes are still queued (write-behind).</param>
public sealed record LoadedSession(StoredSession? Session, bool Resumed, bool Pending)
{
    public bool FromCache => Session is not null && !Resumed;

    /// <summary>The cache entry this session came from; only for one that did.</summary>
    public CachedSession AsCacheEntry() => new(Session!, Pending);
}
