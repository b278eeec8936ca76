using Microsoft.Extensions.Options;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.WriteBehind;

/// <summary>
/// Answers a turn while PostgreSQL is down (or behind the session's queued writes): the cache takes the next version
/// as pending, the append goes to <see cref="WriteBehindQueue"/> with publisher confirms, and only then may the turn
/// be answered. The cache comes first because the reservation is what a racing turn of the same session (another
/// instance, a resend) fails on, and what the next turn builds on.
/// </summary>
public sealed class WriteBehindTurns(
    SessionCache cache,
    WriteBehindQueue queue,
    IOptions<SessionStoreOptions> sessionOptions,
    IOptions<WorkerOptions> workerOptions,
    SkillForgeMetrics metrics,
    ILogger<WriteBehindTurns> logger)
{
    private readonly int _windowSize = sessionOptions.Value.WindowSize;
    private readonly TimeSpan _hold = workerOptions.Value.WriteBehindHold;

    /// <summary>
    /// The session as answered, or null when another writer took the version first (the turn is computed again).
    /// Throws when the write was not confirmed: the reservation is given back and the turn must not be answered.
    /// </summary>
    public async Task<StoredSession?> TryQueueAsync(CachedSession entry, TurnToAppend turn, CancellationToken cancellationToken)
    {
        var newest = SessionAfterTurn.Queued(entry.Session, turn, _windowSize);
        using var span = TurnSpans.Start("write behind", turn.Key, turn.TurnId);
        if (!await cache.TryReserveAsync(newest, entry.Session.Version, _hold))
        {
            return null;
        }
        try
        {
            await queue.SendAsync(new PendingTurnWrite(turn), cancellationToken);
        }
        catch (Exception e)
        {
            span.Fail(e);
            await cache.ReleaseAsync(entry, newest.Version);
            throw;
        }
        metrics.WriteBehind("queued");
        WorkerLog.WriteBehindQueued(logger, turn.TurnId, turn.Key.TenantId, turn.Key.SessionId, newest.Version);
        return newest;
    }
}
