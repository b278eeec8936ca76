using System.Diagnostics;
using Microsoft.Extensions.Options;
using SkillForge.Contracts;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Resilience;
using SkillForge.Worker.WriteBehind;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// One chat turn, start to finish: validate, load (cache, else PostgreSQL), replay a known turn id, run the agent,
/// append under the version check, refresh the cache, answer. While PostgreSQL is down, a turn on a cached session is
/// written behind instead (<see cref="WriteBehindTurns"/>). Testable without a broker: the consumer only maps the
/// message in and the outcome out.
/// <para>
/// Three retry layers nest, innermost first: a lost version race reloads and recomputes here
/// (<see cref="WorkerOptions.TurnAttempts"/>); a PostgreSQL outage is waited out around that, within
/// <see cref="WorkerOptions.UnavailableAfter"/>, and then answered <c>unavailable</c>; and whatever still throws
/// (races lost every time, Redis faults while reserving) is retried by the endpoint's policy before it lands in
/// <c>_error</c>.
/// </para>
/// </summary>
public sealed class ChatTurnHandler(
    TurnStorage storage,
    AgentTurn agentTurn,
    WriteBehindTurns writeBehind,
    IOptions<SessionStoreOptions> sessionOptions,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider clock,
    SkillForgeMetrics metrics,
    ILogger<ChatTurnHandler> logger)
{
    public const string SessionClosed = "session_closed";
    public const string SessionCorrupt = "session_corrupt";
    public const string Unavailable = "unavailable";
    public const string SessionErased = "session_erased";

    private readonly SessionStoreOptions _sessions = sessionOptions.Value;
    private readonly WorkerOptions _worker = workerOptions.Value;

    public async Task<ChatTurnOutcome> HandleAsync(ProcessChatTurn turn, CancellationToken cancellationToken)
    {
        if (ChatTurnRequestRules.Check(turn, _sessions.MaxTextLength) is { } rejected)
        {
            return rejected;
        }

        // Nothing is written before the commit, so giving up is safe: the same TurnId can simply be sent again.
        var key = new SessionKey(turn.TenantId, turn.SessionId);
        var giveUpAt = Stopwatch.GetTimestamp() + (long)(_worker.UnavailableAfter.TotalSeconds * Stopwatch.Frequency);
        var outage = new StoreOutage(clock);
        while (true)
        {
            try
            {
                return await ApplyAsync(turn, key, cancellationToken);
            }
            catch (CorruptSessionException e)
            {
                return ChatTurnOutcome.Reject(turn, SessionCorrupt,
                    "This conversation is stored in a form that cannot be read; it has been reported. Please start a new session.", e);
            }
            catch (Exception e) when (StoreOutage.IsUnavailable(e) && !cancellationToken.IsCancellationRequested)
            {
                if (Stopwatch.GetTimestamp() + (long)(outage.NextPause.TotalSeconds * Stopwatch.Frequency) > giveUpAt)
                {
                    return ChatTurnOutcome.Reject(turn, Unavailable,
                        "The conversation store is unavailable right now. Nothing was lost; send the same turn again (same TurnId) in a moment.");
                }
                WorkerLog.StoreUnavailable(logger, key.TenantId, key.SessionId, turn.TurnId, outage.NextPause.TotalMilliseconds, e.Message);
                await outage.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task<ChatTurnOutcome> ApplyAsync(ProcessChatTurn turn, SessionKey key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= _worker.TurnAttempts; attempt++)
        {
            var loaded = await storage.LoadAsync(key, turn.TurnId, firstAttempt: attempt == 1, cancellationToken);
            if (await TryApplyAsync(turn, key, loaded, cancellationToken) is { } outcome)
            {
                return outcome;
            }
            metrics.Conflict();
            WorkerLog.VersionConflict(logger, key.TenantId, key.SessionId, turn.TurnId, attempt);
            await storage.ForgetCachedAsync(key);
        }
        throw new ConcurrencyConflictException(key, _worker.TurnAttempts);
    }

    /// <summary>The outcome, or null when another writer took the version and the turn must be computed again.</summary>
    private async Task<ChatTurnOutcome?> TryApplyAsync(ProcessChatTurn turn, SessionKey key, LoadedSession loaded, CancellationToken cancellationToken)
    {
        var (session, resumed) = (loaded.Session, loaded.Resumed);
        if (session is not null && SessionAfterTurn.FindRecentTurn(session, turn.TurnId) is { } recent)
        {
            return ChatTurnOutcome.Replay(turn, session, recent, resumed);
        }
        if (session?.UserId is { } owner && turn.UserId is { } user && owner != user)
        {
            return ChatTurnOutcome.Reject(turn, InvalidSessionInputException.InvalidRequest,
                "This session belongs to another user: a session keeps the UserId of the first turn that named one.");
        }
        if (session is not null && SessionStatus.IsClosed(session.Status))
        {
            // A resend of the turn that closed the session is still a replay, not a rejection.
            return await storage.FindTurnAsync(key, turn.TurnId, cancellationToken) is { } closing
                ? ChatTurnOutcome.Replay(turn, session, closing, resumed)
                : ChatTurnOutcome.Reject(turn, SessionClosed,
                    $"This session is {session.Status}; it takes no more turns. Start a new session to continue.");
        }

        // A turn sent before the session was erased (a redrive from _error, a late resend) would bring the erased
        // conversation back as a new session: only a new session needs the check, a live one was not erased since.
        if (session is null && await storage.ErasedSinceAsync(key, turn.SentAt, cancellationToken))
        {
            return ChatTurnOutcome.Reject(turn, SessionErased,
                "This session was erased after this turn was sent; the turn belongs to the erased conversation. Send a new turn to start afresh.");
        }

        var toAppend = await agentTurn.ComputeAsync(turn, loaded, cancellationToken);

        // A session with writes still queued keeps queueing, so its writes reach PostgreSQL in the order answered.
        if (loaded.Pending)
        {
            return await WriteBehindAsync(loaded, toAppend, cancellationToken);
        }
        AppendResult append;
        try
        {
            append = await storage.AppendAsync(toAppend, cancellationToken);
        }
        catch (Exception e) when (_worker.WriteBehind && loaded.FromCache && StoreOutage.IsUnavailable(e))
        {
            return await WriteBehindAsync(loaded, toAppend, cancellationToken);
        }

        switch (append.Outcome)
        {
            case AppendOutcome.AlreadyApplied:
                return ChatTurnOutcome.Replay(turn, session!, append.StoredTurn!, resumed);
            case AppendOutcome.Conflict:
                return null;
        }
        var updated = SessionAfterTurn.Appended(session, toAppend, append, _sessions.WindowSize);
        await storage.CacheAsync(updated, turn.TurnId);
        return Answered(updated, toAppend, resumed);
    }

    private async Task<ChatTurnOutcome?> WriteBehindAsync(LoadedSession loaded, TurnToAppend toAppend, CancellationToken cancellationToken) =>
        await writeBehind.TryQueueAsync(loaded.AsCacheEntry(), toAppend, cancellationToken) is { } newest
            ? Answered(newest, toAppend, resumed: false)
            : null;

    private ChatTurnOutcome Answered(StoredSession updated, TurnToAppend turn, bool resumed)
    {
        if (turn.ExpectedVersion == 0)
        {
            metrics.Session("created");
        }
        if (turn.Status == SessionStatus.Completed)
        {
            metrics.Session("completed");
        }
        return ChatTurnOutcome.Applied(updated, turn, resumed);
    }
}
