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
    /// <param name="attempts">
    /// The request's earlier attempts (a retry's): the answer is what the request erased in all of them, since a
    /// retry after the commit finds nothing left.
    /// </param>
    public async Task<ErasureResult> EraseAsync(SessionKey key, string? reason, ErasureAttempts attempts, CancellationToken cancellationToken)
    {
        // Evict first as well: a turn racing the erasure cannot resurrect the session from a stale entry.
        await cache.RemoveOrThrowAsync(key);
        var result = await store.EraseAsync(key, reason, clock.GetUtcNow(), cancellationToken);
        attempts.Add(result); // committed: kept even if what follows fails and the message is retried
        if (result.Existed)
        {
            metrics.Session("erased"); // once, by the attempt whose commit erased it
        }
        await cache.RemoveOrThrowAsync(key);
        var erased = attempts.Erased;
        WorkerLog.SessionErased(logger, key.TenantId, key.SessionId, erased.Existed, erased.MessagesDeleted);
        return erased;
    }
}
