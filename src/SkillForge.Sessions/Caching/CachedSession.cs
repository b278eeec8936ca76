using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Caching;

/// <summary>A cache entry: the session, and whether it is ahead of PostgreSQL (its newest write still queued).</summary>
public sealed record CachedSession(StoredSession Session, bool Pending);
