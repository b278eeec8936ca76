using Microsoft.Extensions.Options;
using SkillForge.Agent;
using SkillForge.Contracts;
using SkillForge.Sessions;
using SkillForge.Sessions.Caching;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;
using System.Diagnostics;
using Npgsql;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// One chat turn, start to finish (DESIGN.md §2): validate, load (cache, else PostgreSQL), replay a known turn id,
/// run the agent, append under the version check (recomputing after a lost race), refresh the cache, answer.
/// Testable without a broker: the consumer only maps the message in and the outcome out.
/// </summary>
public sealed class ChatTurnHandler(
    SessionStore store,
    SessionCache cache,
    ISkillAgent agent,
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
            // After a lost race the cache is suspect: the winner may not have refreshed it yet.
            var (session, resumed) = await LoadAsync(key, useCache: attempt == 1, cancellationToken);
            var outcome = await TryApplyAsync(turn, key, session, resumed, cancellationToken);
            if (outcome is not null)
            {
                return outcome;
            }
            metrics.Conflict();
            WorkerLog.VersionConflict(logger, key.TenantId, key.SessionId, turn.TurnId, attempt);
            await cache.RemoveAsync(key);
        }
        throw new ConcurrencyConflictException(key, _worker.TurnAttempts);
    }

    /// <summary>A fault of reaching PostgreSQL (not of the statement): a dead connection, a refused one, a timeout.</summary>
    internal static bool IsStoreUnavailable(Exception e) =>
        e is NpgsqlException { IsTransient: true } or TimeoutException || (e is NpgsqlException && e.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException);

    private async Task<(StoredSession? Session, bool Resumed)> LoadAsync(SessionKey key, bool useCache, CancellationToken cancellationToken)
    {
        if (useCache)
        {
            using var cacheSpan = SkillForgeMetrics.ActivitySource.StartActivity("cache load");
            if (await cache.GetAsync(key) is { } cached)
            {
                return (cached, false);
            }
        }
        using var span = SkillForgeMetrics.ActivitySource.StartActivity("store load");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var stored = await store.LoadAsync(key, cancellationToken);
            return (stored, stored is not null);
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
    private async Task<ChatTurnOutcome?> TryApplyAsync(ProcessChatTurn turn, SessionKey key, StoredSession? session, bool resumed, CancellationToken cancellationToken)
    {
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
        var existing = context.State == AgentState.Idle
            ? (await store.ListCompletedSkillsAsync(key.TenantId, 50, cancellationToken)).Select(s => new ExistingSkill(s.Name, s.Description)).ToList()
            : [];
        AgentTurnResult result;
        using (SkillForgeMetrics.ActivitySource.StartActivity("agent"))
        {
            result = await agent.RespondAsync(new AgentTurnInput(turn.Text, context, window, existing), cancellationToken);
        }

        var now = clock.GetUtcNow();
        var state = AgentStateNames.ToWire(result.Context.State);
        var status = result.IsCompleted ? SessionStatus.Completed : SessionStatus.Active;
        var contextJson = SkillContextSerializer.Serialize(result.Context);
        metrics.ContextSize(System.Text.Encoding.UTF8.GetByteCount(contextJson));
        var append = await AppendAsync(new TurnToAppend(
            key, turn.TurnId, session?.Version ?? 0, turn.Text, result.Reply,
            PreviousState: session?.State ?? AgentStateNames.ToWire(AgentState.Idle), state, status,
            result.Context.SkillName, result.IsCompleted ? result.Context.Description : null,
            contextJson, now), cancellationToken);

        switch (append.Outcome)
        {
            case AppendOutcome.AlreadyApplied:
                return Replay(turn, session!, append.StoredTurn!, resumed);
            case AppendOutcome.Conflict:
                return null;
        }

        if (session is null)
        {
            metrics.Session("created");
        }
        if (result.IsCompleted)
        {
            metrics.Session("completed");
        }
        var updated = new StoredSession(key, state, status, result.Context.SkillName ?? session?.SkillName,
            contextJson, append.Version, append.MessageCount,
            session?.CreatedAt ?? now, now, AppendToWindow(session, turn, result.Reply, append, now));
        // Written after the commit only (DESIGN.md §8); failure here costs the next turn a PostgreSQL read, nothing else.
        using (SkillForgeMetrics.ActivitySource.StartActivity("cache write"))
        {
            await cache.SetAsync(updated);
        }
        return ChatTurnOutcome.Reply(new ChatTurnReplied(key.TenantId, key.SessionId, turn.TurnId, result.Reply, state, status,
            append.Version, append.MessageCount, resumed, Replayed: false));
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

    private List<StoredMessage> AppendToWindow(StoredSession? session, ProcessChatTurn turn, string reply, AppendResult append, DateTimeOffset now)
    {
        var window = new List<StoredMessage>(_sessions.WindowSize + 2);
        if (session is not null)
        {
            window.AddRange(session.RecentMessages);
        }
        window.Add(new StoredMessage(append.MessageCount - 1, MessageRole.User, turn.Text, turn.TurnId, now));
        window.Add(new StoredMessage(append.MessageCount, MessageRole.Assistant, reply, turn.TurnId, now));
        return window.Count > _sessions.WindowSize ? window.GetRange(window.Count - _sessions.WindowSize, _sessions.WindowSize) : window;
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
