using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Erasure;

/// <summary>
/// Right to erasure: the session's messages and row in PostgreSQL, then its cache entry. The cache removal must
/// succeed (it throws otherwise, and the message is retried; the PostgreSQL half is idempotent), so no copy of the
/// text outlives the answer. What a legal hold covers is not erased: the answer says so.
/// </summary>
public sealed class SessionEraser(
    SessionStore store,
    SessionCache cache,
    Microsoft.Extensions.Options.IOptions<SessionStoreOptions> options,
    QueueCopies queueCopies,
    RedisRewriteSchedule rewrites,
    TimeProvider clock,
    SkillForgeMetrics metrics,
    ILogger<SessionEraser> logger)
{
    /// <param name="requestId">
    /// The request's id, the same on every delivery of it: a retry or a redelivery after the commit finds nothing
    /// left, and is answered with what the request erased (kept in the audit, so a redelivery to another worker after
    /// a crash knows it too).
    /// </param>
    /// <returns>What the store erased (or that a hold kept it), and how many of the session's messages left the error and dead-letter queues.</returns>
    public async Task<(ErasureResult Stored, int QueueCopies)> EraseAsync(SessionKey key, string? reason, Guid? requestId, CancellationToken cancellationToken)
    {
        var erased = await EraseStoredAsync(key, reason, requestId, cancellationToken);
        if (erased.IsHeld)
        {
            return (erased, 0);
        }
        // Failed turns waiting for a person hold the user's text too. A retry walks the queues again and finds none left.
        var copies = await queueCopies.RemoveAsync(new HashSet<SessionKey> { key }, cancellationToken);
        WorkerLog.SessionErased(logger, key.TenantId, key.SessionId, erased.Existed, erased.MessagesDeleted, copies);
        return (erased, copies);
    }

    /// <summary>
    /// Erases every session of the user in the tenant, a batch of ids at a time and each session in a short transaction
    /// of its own, so no chat turn waits behind one long erasure; the queues are walked once for all of them at the end.
    /// A hold on the user, the tenant or any of the user's sessions refuses the whole request before anything is erased.
    /// </summary>
    /// <returns>What the request erased over all its deliveries, or null when a legal hold refused it.</returns>
    public async Task<(int SessionsErased, long MessagesDeleted, int QueueCopies)?> EraseUserAsync(string tenantId, string userId, string? reason, Guid requestId,
        CancellationToken cancellationToken)
    {
        var erasedKeys = new HashSet<SessionKey>();
        var after = "";
        while (true)
        {
            var (held, sessionIds) = await store.UserSessionsToEraseAsync(tenantId, userId, after, cancellationToken);
            if (held)
            {
                return await RefusedAsync();
            }
            if (sessionIds.Count == 0)
            {
                break;
            }
            foreach (var sessionId in sessionIds)
            {
                var key = new SessionKey(tenantId, sessionId);
                if ((await EraseStoredAsync(key, reason, requestId, cancellationToken)).IsHeld)
                {
                    return await RefusedAsync();
                }
                erasedKeys.Add(key);
            }
            after = sessionIds[^1];
        }
        var copies = erasedKeys.Count == 0 ? 0 : await queueCopies.RemoveAsync(erasedKeys, cancellationToken);
        var (sessions, messages) = await store.UserErasureTotalsAsync(tenantId, requestId, cancellationToken);
        WorkerLog.UserErased(logger, tenantId, sessions, messages, copies);
        return (sessions, messages, copies);

        // Found before the first batch or by a session's own erasure (a hold placed while the request runs stops it
        // there; what it erased before stays erased, and so its failed copies in the queues go too).
        async Task<(int, long, int)?> RefusedAsync()
        {
            var copies = erasedKeys.Count == 0 ? 0 : await queueCopies.RemoveAsync(erasedKeys, cancellationToken);
            await store.RecordUserErasureRefusedAsync(tenantId, userId, requestId, clock.GetUtcNow(), cancellationToken);
            WorkerLog.UserErasureRefused(logger, tenantId, erasedKeys.Count, copies);
            return null;
        }
    }

    private async Task<ErasureResult> EraseStoredAsync(SessionKey key, string? reason, Guid? requestId, CancellationToken cancellationToken)
    {
        // Evict first as well: a turn racing the erasure cannot resurrect the session from a stale entry. (A held
        // session loses only its cached copy; the next turn reads it from PostgreSQL.)
        await cache.RemoveOrThrowAsync(key);
        var at = clock.GetUtcNow();
        var erased = await store.EraseAsync(key, reason, requestId, at, cancellationToken);
        if (erased.IsHeld)
        {
            metrics.Session("erasure_refused");
            return erased;
        }
        if (erased.RemovedNow)
        {
            metrics.Session("erased"); // once, by the attempt whose commit erased it
            rewrites.Erased();
        }
        // After the commit, a marker in place of the entry: a turn that committed just before cannot cache the session again.
        await cache.EraseOrThrowAsync(key, at, options.Value.ErasureMarkerTtl);
        return erased;
    }
}
