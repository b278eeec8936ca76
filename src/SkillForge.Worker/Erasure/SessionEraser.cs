using SkillForge.Sessions;
using SkillForge.Sessions.Caching;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Erasure;

/// <summary>
/// Right to erasure: the session's messages and row in PostgreSQL, then its cache entry. The cache removal must
/// succeed (it throws otherwise, and the message is retried; the PostgreSQL half is idempotent), so no copy of the
/// text outlives the answer.
/// </summary>
public sealed class SessionEraser(SessionStore store, SessionCache cache, TimeProvider clock, SkillForgeMetrics metrics, ILogger<SessionEraser> logger)
{
    public async Task<ErasureResult> EraseAsync(SessionKey key, string? reason, CancellationToken cancellationToken)
    {
        // Evict first as well: a turn racing the erasure cannot resurrect the session from a stale entry.
        await cache.RemoveOrThrowAsync(key);
        var result = await store.EraseAsync(key, reason, clock.GetUtcNow(), cancellationToken);
        await cache.RemoveOrThrowAsync(key);
        if (result.Existed)
        {
            metrics.Session("erased");
        }
        WorkerLog.SessionErased(logger, key.TenantId, key.SessionId, result.Existed, result.MessagesDeleted);
        return result;
    }
}
