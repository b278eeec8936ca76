using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Resilience;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.WriteBehind;

/// <summary>
/// Applies a write-behind turn to PostgreSQL with the same one-transaction append as a live turn, then returns the
/// session's cache entry to normal if nothing newer is pending. Idempotent: a redelivered write finds its TurnId
/// applied and only clears the entry.
/// </summary>
public sealed class PendingTurnWriteConsumer(
    SessionStore store,
    SessionCache cache,
    WriteBehindQueue queue,
    SenderCheck senders,
    IOptions<SecurityOptions> security,
    TimeProvider clock,
    SkillForgeMetrics metrics,
    ILogger<PendingTurnWriteConsumer> logger) : IConsumer<PendingTurnWrite>
{
    /// <summary>How often a write goes to the back of the queue waiting for its predecessor before it is given up on.</summary>
    public const int MaxDeferrals = 100;

    public const string InvalidWrite = "invalid_write";

    public async Task Consume(ConsumeContext<PendingTurnWrite> context)
    {
        // The worker queues these; an operator may send one back from _error (redrive). Nobody else.
        if (!await senders.AllowAsync(context, TrustedParties.Worker | TrustedParties.Operator))
        {
            return;
        }
        try
        {
            await ApplyWhenPostgresIsUpAsync(context);
        }
        catch (RefusedPendingWriteException e)
        {
            await senders.RefuseAsync(context, InvalidWrite, e.Problem);
            throw;
        }
    }

    private async Task ApplyWhenPostgresIsUpAsync(ConsumeContext<PendingTurnWrite> context)
    {
        var turn = context.Message.Turn;
        if (PendingWriteRules.Problem(turn, clock.GetUtcNow(), security.Value.ClockSkew) is { } problem)
        {
            throw new RefusedPendingWriteException(turn, problem);
        }
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["TenantId"] = LogText.Escape(turn.Key.TenantId),
            ["SessionId"] = LogText.Escape(turn.Key.SessionId),
            ["TurnId"] = turn.TurnId,
        });

        // PostgreSQL still down: keep the write (unacknowledged, so it stays the broker's) and keep trying. A stop
        // cancels the wait and the broker hands the write to the next consumer.
        var outage = new StoreOutage(clock);
        while (true)
        {
            try
            {
                await ApplyAsync(context.Message, context.CancellationToken);
                return;
            }
            catch (Exception e) when (StoreOutage.IsUnavailable(e) && !context.CancellationToken.IsCancellationRequested)
            {
                WorkerLog.WriteBehindWaiting(logger, turn.TurnId, turn.Key.TenantId, turn.Key.SessionId, outage.NextPause.TotalMilliseconds, e.Message);
                await outage.WaitAsync(context.CancellationToken);
            }
        }
    }

    private async Task ApplyAsync(PendingTurnWrite write, CancellationToken cancellationToken)
    {
        var turn = write.Turn;
        if (await store.ErasedSinceAsync(turn.Key, turn.At, cancellationToken))
        {
            // Answered before the session was erased: it would recreate the erased session, or land in a new one
            // that reuses the id. Erasure wins.
            metrics.WriteBehind("dropped");
            WorkerLog.WriteBehindDropped(logger, turn.TurnId, turn.Key.TenantId, turn.Key.SessionId);
            return;
        }
        await EnsureNotBackdatedAsync(turn, cancellationToken);
        var append = await store.AppendTurnAsync(turn, cancellationToken);
        // A conflict may still be this very write, applied by an earlier delivery: the TurnId says.
        if (append.Outcome == AppendOutcome.Conflict && await store.FindTurnAsync(turn.Key, turn.TurnId, cancellationToken) is null)
        {
            await ResolveConflictAsync(write, cancellationToken);
            return;
        }
        var version = turn.ExpectedVersion + 1;
        await cache.MarkAppliedAsync(turn.Key, version);
        metrics.WriteBehind(append.Outcome == AppendOutcome.Appended ? "applied" : "already_applied");
        WorkerLog.WriteBehindApplied(logger, turn.TurnId, turn.Key.TenantId, turn.Key.SessionId, version);
    }

    /// <summary>
    /// A write dated before the session's last activity (beyond the clock skew between instances) did not come from
    /// that session's queue: a redelivery of one already applied is recognised by its turn id first.
    /// </summary>
    private async Task EnsureNotBackdatedAsync(TurnToAppend turn, CancellationToken cancellationToken)
    {
        if (await store.FindTurnAsync(turn.Key, turn.TurnId, cancellationToken) is null
            && await store.LoadAsync(turn.Key, cancellationToken) is { } stored
            && turn.At < stored.UpdatedAt - security.Value.ClockSkew)
        {
            throw new RefusedPendingWriteException(turn, $"it is dated {turn.At:o}, before the session's last activity at {stored.UpdatedAt:o}");
        }
    }

    private async Task ResolveConflictAsync(PendingTurnWrite write, CancellationToken cancellationToken)
    {
        var turn = write.Turn;
        var stored = await store.LoadAsync(turn.Key, cancellationToken);
        if (stored is null)
        {
            // Erased (or purged) after the turn was answered: erasure wins, and the write goes with the session.
            metrics.WriteBehind("dropped");
            WorkerLog.WriteBehindDropped(logger, turn.TurnId, turn.Key.TenantId, turn.Key.SessionId);
            return;
        }
        if (stored.Version < turn.ExpectedVersion && write.Deferrals < MaxDeferrals)
        {
            // Its predecessor is queued behind it (two turns of one session queued in the opposite order): to the back.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10 * (write.Deferrals + 1), 1_000)), clock, cancellationToken);
            await queue.SendAsync(write with { Deferrals = write.Deferrals + 1 }, cancellationToken);
            metrics.WriteBehind("deferred");
            return;
        }

        // Nothing queued can fix this one; the session goes on from what PostgreSQL holds, and the write waits in
        // _error (where FaultedMessageLogger reports it) for an operator.
        metrics.WriteBehind("conflict");
        try
        {
            await cache.RemoveOrThrowAsync(turn.Key);
        }
        catch (Exception e) when (SkillForge.Sessions.Caching.RedisFaults.IsFault(e))
        {
            // The pending entry then expires with its hold.
        }
        throw new WriteBehindConflictException(turn.Key, turn.TurnId, turn.ExpectedVersion, stored.Version, stored.Status);
    }
}
