using SkillForge.Sessions;
using SkillForge.Sessions.Caching;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Erasure;

/// <summary>
/// Right to erasure: the session's messages and row in PostgreSQL, then its cache entry. The cache removal must
/// succeed (it throws otherwise, and the message is retried; the PostgreSQL half is idempotent), so no copy of the
/// text outlives the answer.
/// </summary>
public sealed class SessionEraser(
    SessionStore store,
    SessionCache cache,
    Microsoft.Extensions.Options.IOptions<SessionStoreOptions> options,
    QueueCopies queueCopies,
    TimeProvider clock,
    SkillForgeMetrics metrics,
    ILogger<SessionEraser> logger)
{
    /// <param name="requestId">
    /// The request's id, the same on every delivery of it: a retry or a redelivery after the commit finds nothing
    /// left, and is answered with what the request erased (kept in the audit, so a redelivery to another worker after
    /// a crash knows it too).
    /// </param>
    /// <returns>What the store erased, and how many of the session's messages left the error and dead-letter queues.</returns>
    public async Task<(ErasureResult Stored, int QueueCopies)> EraseAsync(SessionKey key, string? reason, Guid? requestId, CancellationToken cancellationToken)
    {
        // Evict first as well: a turn racing the erasure cannot resurrect the session from a stale entry.
        await cache.RemoveOrThrowAsync(key);
        var at = clock.GetUtcNow();
        var erased = await store.EraseAsync(key, reason, requestId, at, cancellationToken);
        if (erased.RemovedNow)
        {
            metrics.Session("erased"); // once, by the attempt whose commit erased it
        }
        // After the commit, a marker in place of the entry: a turn that committed just before cannot cache the session again.
        await cache.EraseOrThrowAsync(key, at, options.Value.ErasureMarkerTtl);
        // Failed turns waiting for a person hold the user's text too. A retry walks the queues again and finds none left.
        var copies = await queueCopies.RemoveAsync(key, cancellationToken);
        WorkerLog.SessionErased(logger, key.TenantId, key.SessionId, erased.Existed, erased.MessagesDeleted, copies);
        return (erased, copies);
    }
}
