using Microsoft.Extensions.Options;
using SkillForge.Agent;
using SkillForge.Contracts;
using SkillForge.Sessions;
using SkillForge.Sessions.Caching;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;
using SkillForge.Worker.WriteBehind;
using System.Diagnostics;
using Npgsql;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// One chat turn, start to finish (DESIGN.md §2): validate, load (cache, else PostgreSQL), replay a known turn id,
/// run the agent, append under the version check (recomputing after a lost race), refresh the cache, answer.
/// While PostgreSQL is down, a turn on a cached session is written behind instead (issue 7): the cache entry takes
/// the new version as pending, the append goes to a durable queue, and the user is answered once the broker has
/// confirmed it; <see cref="PendingTurnWriteConsumer"/> applies it when PostgreSQL is back.
/// Testable without a broker: the consumer only maps the message in and the outcome out.
/// </summary>
public sealed class ChatTurnHandler(
    SessionStore store,
    SessionCache cache,
    ISkillAgent agent,
    WriteBehindQueue writeBehind,
    IOptions<SessionStoreOptions> sessionOptions,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider clock,
    SkillForgeMetrics metrics,
    ILogger<ChatTurnHandler> logger)
{
    public const string SessionClosed = "session_closed";
    public const string SessionCorrupt = "session_corrupt";
    public const string Unavailable = "unavailable";

    private readonly SessionStoreOptions _sessions = sessionOptions.Value;
    private readonly WorkerOptions _worker = workerOptions.Value;

    public async Task<ChatTurnOutcome> HandleAsync(ProcessChatTurn turn, CancellationToken cancellationToken)
    {
        var key = new SessionKey(turn.TenantId, turn.SessionId);
        try
        {
            SessionInputRules.ValidateKey(key);
            SessionInputRules.ValidateText(turn.Text, _sessions.MaxTextLength);
            if (turn.TurnId == Guid.Empty)
            {
                throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, "TurnId must be a non-empty GUID.");
            }
        }
        catch (InvalidSessionInputException e)
        {
            return ChatTurnOutcome.Reject(turn, e.Code, e.Message);
        }

        // PostgreSQL away (a restart, a failover): wait with backoff inside the caller's request timeout, then say
        // "unavailable" — nothing was written, and the same TurnId can simply be sent again (issue 7).
        var giveUpAt = Stopwatch.GetTimestamp() + (long)(_worker.UnavailableAfter.TotalSeconds * Stopwatch.Frequency);
        var pause = TimeSpan.FromMilliseconds(200);
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
            catch (Exception e) when (IsStoreUnavailable(e) && !cancellationToken.IsCancellationRequested)
            {
                if (Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency) > giveUpAt)
                {
                    return ChatTurnOutcome.Reject(turn, Unavailable,
                        "The conversation store is unavailable right now. Nothing was lost; send the same turn again (same TurnId) in a moment.");
                }
                WorkerLog.StoreUnavailable(logger, key.TenantId, key.SessionId, turn.TurnId, pause.TotalMilliseconds, e.Message);
                await Task.Delay(pause, clock, cancellationToken);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    private async Task<ChatTurnOutcome> ApplyAsync(ProcessChatTurn turn, SessionKey key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= _worker.TurnAttempts; attempt++)
        {
            var loaded = await LoadAsync(key, firstAttempt: attempt == 1, cancellationToken);
            var outcome = await TryApplyAsync(turn, key, loaded, cancellationToken);
            if (outcome is not null)
            {
                return outcome;
            }
            metrics.Conflict();
            WorkerLog.VersionConflict(logger, key.TenantId, key.SessionId, turn.TurnId, attempt);
            await cache.RemoveAsync(key); // an ordinary entry only: a pending one is ahead of PostgreSQL and stays
        }
        throw new ConcurrencyConflictException(key, _worker.TurnAttempts);
    }

    /// <summary>A fault of reaching PostgreSQL (not of the statement): a dead connection, a refused one, a timeout.</summary>
    internal static bool IsStoreUnavailable(Exception e) =>
        e is NpgsqlException { IsTransient: true } or TimeoutException || (e is NpgsqlException && e.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException);

    /// <summary>The session a turn starts from, where it came from, and whether it is ahead of PostgreSQL.</summary>
    private sealed record LoadedSession(StoredSession? Session, bool Resumed, bool Pending)
    {
        public bool FromCache => Session is not null && !Resumed;
    }

    private async Task<LoadedSession> LoadAsync(SessionKey key, bool firstAttempt, CancellationToken cancellationToken)
    {
        using (SkillForgeMetrics.ActivitySource.StartActivity("cache load"))
        {
            // After a lost race an ordinary entry is suspect (the winner may not have refreshed it yet); a pending
            // one is the newest state there is, PostgreSQL being behind it.
            if (await cache.GetEntryAsync(key) is { } cached && (firstAttempt || cached.Pending))
            {
                return new LoadedSession(cached.Session, Resumed: false, cached.Pending);
            }
        }
        using var span = SkillForgeMetrics.ActivitySource.StartActivity("store load");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var stored = await store.LoadAsync(key, cancellationToken);
            return new LoadedSession(stored, Resumed: stored is not null, Pending: false);
        }
        catch (Exception e) when (e is not CorruptSessionException and not OperationCanceledException)
        {
            metrics.StoreError("load");
            throw;
        }
        finally
        {
            metrics.StoreLoad(Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The outcome, or null when another writer took the version and the turn must be computed again.</summary>
    private async Task<ChatTurnOutcome?> TryApplyAsync(ProcessChatTurn turn, SessionKey key, LoadedSession loaded, CancellationToken cancellationToken)
    {
        var (session, resumed) = (loaded.Session, loaded.Resumed);
        if (session?.RecentMessages.FirstOrDefault(m => m.TurnId == turn.TurnId && m.Role == MessageRole.Assistant) is { } recent)
        {
            return Replay(turn, session, new StoredTurn(turn.TurnId, recent.Content, recent.Seq / 2, (int)recent.Seq), resumed);
        }
        if (session is not null && SessionStatus.IsClosed(session.Status))
        {
            // A resend of the turn that closed the session is still a replay, not a rejection.
            return await store.FindTurnAsync(key, turn.TurnId, cancellationToken) is { } closing
                ? Replay(turn, session, closing, resumed)
                : ChatTurnOutcome.Reject(turn, SessionClosed,
                    $"This session is {session.Status}; it takes no more turns. Start a new session to continue.");
        }

        var context = session is null ? SkillContext.New() : ReadContext(session);
        var window = session?.RecentMessages.Select(m => new ConversationMessage(m.Role, m.Content)).ToList() ?? [];
        var existing = context.State == AgentState.Idle ? await ExistingSkillsAsync(key, loaded, cancellationToken) : [];
        AgentTurnResult result;
        using (SkillForgeMetrics.ActivitySource.StartActivity("agent"))
        {
            result = await agent.RespondAsync(new AgentTurnInput(turn.Text, context, window, existing), cancellationToken);
        }

        var state = AgentStateNames.ToWire(result.Context.State);
        var contextJson = SkillContextSerializer.Serialize(result.Context);
        metrics.ContextSize(System.Text.Encoding.UTF8.GetByteCount(contextJson));
        var toAppend = new TurnToAppend(
            key, turn.TurnId, session?.Version ?? 0, turn.Text, result.Reply,
            PreviousState: session?.State ?? AgentStateNames.ToWire(AgentState.Idle), state,
            result.IsCompleted ? SessionStatus.Completed : SessionStatus.Active,
            result.Context.SkillName, result.IsCompleted ? result.Context.Description : null,
            contextJson, clock.GetUtcNow());

        // A session with writes still queued keeps queueing, so its writes reach PostgreSQL in the order answered.
        if (loaded.Pending)
        {
            return await WriteBehindAsync(loaded, toAppend, cancellationToken);
        }
        AppendResult append;
        try
        {
            append = await AppendAsync(toAppend, cancellationToken);
        }
        catch (Exception e) when (_worker.WriteBehind && loaded.FromCache && IsStoreUnavailable(e))
        {
            return await WriteBehindAsync(loaded, toAppend, cancellationToken);
        }

        switch (append.Outcome)
        {
            case AppendOutcome.AlreadyApplied:
                return Replay(turn, session!, append.StoredTurn!, resumed);
            case AppendOutcome.Conflict:
                return null;
        }

        var updated = Applied(session, toAppend, append.Version, append.MessageCount);
        // Written after the commit only (DESIGN.md §8); failure here costs the next turn a PostgreSQL read, nothing else.
        using (SkillForgeMetrics.ActivitySource.StartActivity("cache write"))
        {
            await cache.SetAsync(updated);
        }
        return Answer(updated, toAppend, resumed);
    }

    /// <summary>
    /// PostgreSQL is down (or behind this session's queued writes): take the next version in the cache, queue the
    /// append with publisher confirms, answer. The cache first: the reservation is what a racing turn of the same
    /// session (another instance, a resend) fails on, and what the next turn builds on. Null when that race was lost.
    /// </summary>
    private async Task<ChatTurnOutcome?> WriteBehindAsync(LoadedSession loaded, TurnToAppend toAppend, CancellationToken cancellationToken)
    {
        var session = loaded.Session!;
        var newest = Applied(session, toAppend, session.Version + 1, session.MessageCount + 2);
        using var span = SkillForgeMetrics.ActivitySource.StartActivity("write behind");
        if (!await cache.TryReserveAsync(newest, session.Version, _worker.WriteBehindHold))
        {
            return null;
        }
        try
        {
            await writeBehind.SendAsync(new PendingTurnWrite(toAppend), cancellationToken);
        }
        catch
        {
            // Not confirmed, so not answered: give the version back (the turn is retried, or resent by its client).
            await cache.ReleaseAsync(new CachedSession(session, loaded.Pending), newest.Version);
            throw;
        }
        metrics.WriteBehind("queued");
        WorkerLog.WriteBehindQueued(logger, toAppend.TurnId, session.Key.TenantId, session.Key.SessionId, newest.Version);
        return Answer(newest, toAppend, resumed: false);
    }

    /// <summary>The session as it stands once <paramref name="turn"/> is applied at <paramref name="version"/>.</summary>
    private StoredSession Applied(StoredSession? session, TurnToAppend turn, long version, int messageCount)
    {
        var window = new List<StoredMessage>(_sessions.WindowSize + 2);
        if (session is not null)
        {
            window.AddRange(session.RecentMessages);
        }
        window.Add(new StoredMessage(messageCount - 1, MessageRole.User, turn.UserText, turn.TurnId, turn.At));
        window.Add(new StoredMessage(messageCount, MessageRole.Assistant, turn.Reply, turn.TurnId, turn.At));
        if (window.Count > _sessions.WindowSize)
        {
            window = window.GetRange(window.Count - _sessions.WindowSize, _sessions.WindowSize);
        }
        return new StoredSession(turn.Key, turn.State, turn.Status, turn.SkillName ?? session?.SkillName, turn.ContextJson,
            version, messageCount, session?.CreatedAt ?? turn.At, turn.At, window);
    }

    private ChatTurnOutcome Answer(StoredSession updated, TurnToAppend turn, bool resumed)
    {
        if (turn.ExpectedVersion == 0)
        {
            metrics.Session("created");
        }
        if (turn.Status == SessionStatus.Completed)
        {
            metrics.Session("completed");
        }
        return ChatTurnOutcome.Reply(new ChatTurnReplied(turn.Key.TenantId, turn.Key.SessionId, turn.TurnId, turn.Reply,
            updated.State, updated.Status, updated.Version, updated.MessageCount, resumed, Replayed: false));
    }

    /// <summary>
    /// The tenant's finished skills, for a conversation still deciding what to build. A cached session goes on
    /// without them while PostgreSQL is down (the agent then simply does not suggest reusing one).
    /// </summary>
    private async Task<IReadOnlyList<ExistingSkill>> ExistingSkillsAsync(SessionKey key, LoadedSession loaded, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.ListCompletedSkillsAsync(key.TenantId, 50, cancellationToken)).Select(s => new ExistingSkill(s.Name, s.Description)).ToList();
        }
        catch (Exception e) when (_worker.WriteBehind && loaded.FromCache && IsStoreUnavailable(e))
        {
            return [];
        }
    }

    private async Task<AppendResult> AppendAsync(TurnToAppend turn, CancellationToken cancellationToken)
    {
        using var span = SkillForgeMetrics.ActivitySource.StartActivity("store append");
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await store.AppendTurnAsync(turn, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.StoreError("append");
            throw;
        }
        finally
        {
            metrics.StoreAppend(Stopwatch.GetElapsedTime(started));
        }
    }

    private static SkillContext ReadContext(StoredSession session)
    {
        try
        {
            return SkillContextSerializer.Deserialize(session.ContextJson);
        }
        catch (SkillContextFormatException e)
        {
            throw new CorruptSessionException(session.Key, e.Message, e);
        }
    }

    private static ChatTurnOutcome Replay(ProcessChatTurn turn, StoredSession session, StoredTurn stored, bool resumed) =>
        ChatTurnOutcome.Reply(new ChatTurnReplied(turn.TenantId, turn.SessionId, turn.TurnId, stored.Reply, session.State, session.Status,
            stored.Version, stored.MessageCount, resumed, Replayed: true));
}
