using System.Diagnostics;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.ChatTurns;

/// <summary>A turn's reads and writes of its session, each traced and timed: the cache first, PostgreSQL behind it.</summary>
public sealed class TurnStorage(SessionStore store, SessionCache cache, SkillForgeMetrics metrics)
{
    /// <summary>
    /// The cached session, else PostgreSQL's. After a lost race (<paramref name="firstAttempt"/> false) an ordinary
    /// entry is suspect, since the winner may not have refreshed it yet; a pending one is still the newest state there
    /// is, PostgreSQL being behind it.
    /// </summary>
    public async Task<LoadedSession> LoadAsync(SessionKey key, Guid turnId, bool firstAttempt, CancellationToken cancellationToken)
    {
        using (TurnSpans.Start("cache load", key, turnId))
        {
            if (await cache.GetEntryAsync(key) is { } cached && (firstAttempt || cached.Pending))
            {
                return new LoadedSession(cached.Session, Resumed: false, cached.Pending);
            }
        }
        using var span = TurnSpans.Start("store load", key, turnId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var stored = await store.LoadAsync(key, cancellationToken);
            return new LoadedSession(stored, Resumed: stored is not null, Pending: false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            span.Fail(e);
            // A corrupt session was read well enough: it is the turn's answer, not a fault of the store.
            if (e is not CorruptSessionException)
            {
                metrics.StoreError("load");
            }
            throw;
        }
        finally
        {
            metrics.StoreLoad(Stopwatch.GetElapsedTime(started));
        }
    }

    public async Task<AppendResult> AppendAsync(TurnToAppend turn, CancellationToken cancellationToken)
    {
        using var span = TurnSpans.Start("store append", turn.Key, turn.TurnId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await store.AppendTurnAsync(turn, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            span.Fail(e);
            metrics.StoreError("append");
            throw;
        }
        finally
        {
            metrics.StoreAppend(Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Refreshes the cache after a commit (never before it); a failure costs the next turn a PostgreSQL read.</summary>
    public async Task CacheAsync(StoredSession session, Guid turnId)
    {
        using var span = TurnSpans.Start("cache write", session.Key, turnId);
        await cache.SetAsync(session);
    }

    /// <summary>Drops an ordinary entry after a lost race; a pending one is ahead of PostgreSQL and stays.</summary>
    public Task ForgetCachedAsync(SessionKey key) => cache.RemoveAsync(key);

    /// <summary>True when the session was erased after <paramref name="sentAt"/>: the turn belongs to the erased conversation.</summary>
    public async Task<bool> ErasedSinceAsync(SessionKey key, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        sentAt != default && await store.ErasedSinceAsync(key, sentAt, cancellationToken);

    /// <summary>The stored answer of a turn that already closed the session, if this is a resend of it.</summary>
    public Task<StoredTurn?> FindTurnAsync(SessionKey key, Guid turnId, CancellationToken cancellationToken) =>
        store.FindTurnAsync(key, turnId, cancellationToken);
}
