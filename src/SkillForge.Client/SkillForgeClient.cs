using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;

namespace SkillForge.Client;

/// <summary>
/// What an upstream service calls: <c>var result = await client.SendTurnAsync(tenant, session, text);</c>.
/// Wraps MassTransit's request clients with timeouts; a chat turn whose answer is lost (timeout) is sent again
/// with the same TurnId, which the worker answers from the stored turn (<c>Replayed = true</c>).
/// Transport failures and worker faults surface as exceptions (<see cref="RequestFaultException"/>,
/// <see cref="RequestTimeoutException"/> after the last attempt, <see cref="SkillForgeQueueFullException"/> at once
/// when the worker's queue is at its length limit).
/// </summary>
public sealed class SkillForgeClient(
    IRequestClient<ProcessChatTurn> turns,
    IRequestClient<GetSessionHistory> history,
    IRequestClient<EraseSession> erasure,
    IRequestClient<EraseUser> userErasure,
    IRequestClient<ListUserSessions> userSessions,
    IRequestClient<ExportSession> export,
    IRequestClient<ListSessions> listing,
    IOptions<SkillForgeClientOptions> options)
{
    private readonly SkillForgeClientOptions _options = options.Value;

    /// <summary>
    /// Sends one chat turn and waits for the worker's answer: <see cref="ChatTurnResult.Replied"/>, or
    /// <see cref="ChatTurnResult.Rejected"/> with a code (bad input, an erased session, the store unavailable …).
    /// Without an answer within the request timeout the same turn is sent again with the same id, up to
    /// <c>TurnAttempts</c> times in all; a turn applied whose answer was lost comes back as replayed.
    /// </summary>
    /// <param name="tenantId">The tenant the session belongs to.</param>
    /// <param name="sessionId">The conversation; a new id starts a new session.</param>
    /// <param name="text">What the user wrote.</param>
    /// <param name="turnId">The turn's id; pass the same one to send a turn again after a failure (a new one when null).</param>
    /// <param name="userId">The user the session belongs to, set by the session's first turn.</param>
    /// <param name="cancellationToken">Stops waiting (the turn may still be applied).</param>
    /// <exception cref="RequestTimeoutException">No answer after every attempt.</exception>
    /// <exception cref="SkillForgeQueueFullException">The worker's queue is at its length limit: the turn was not queued.</exception>
    public Task<ChatTurnResult> SendTurnAsync(string tenantId, string sessionId, string text,
        Guid? turnId = null, string? userId = null, CancellationToken cancellationToken = default) =>
        SendTurnAsync(new ProcessChatTurn(tenantId, sessionId, turnId ?? Guid.NewGuid(), text, userId, DateTimeOffset.UtcNow), cancellationToken);

    /// <summary>Sends <paramref name="turn"/> as it is (its own <c>TurnId</c> and <c>SentAt</c>); see the overload above.</summary>
    /// <param name="turn">The turn.</param>
    /// <param name="cancellationToken">Stops waiting (the turn may still be applied).</param>
    /// <exception cref="ArgumentException">The text holds a lone surrogate, which no JSON message can carry (the
    /// serialiser would put U+FFFD in its place, and the worker would store other text than the user's).</exception>
    public async Task<ChatTurnResult> SendTurnAsync(ProcessChatTurn turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (turn.Text is not null && !IsWellFormed(turn.Text))
        {
            throw new ArgumentException("The turn's Text is not valid Unicode: it holds a lone surrogate.", nameof(turn));
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await WithinDeadline((send, token) => turns.GetResponse<ChatTurnReplied, ChatTurnRejected>(turn, send.Configure, token, _options.RequestTimeout),
                    $"turn {turn.TurnId}", cancellationToken);
                if (response.Is(out Response<ChatTurnReplied>? replied))
                {
                    return new ChatTurnResult(replied.Message, null);
                }
                return response.Is(out Response<ChatTurnRejected>? rejected)
                    ? new ChatTurnResult(null, rejected.Message)
                    : throw new InvalidOperationException($"Unexpected response {response.Message.GetType().Name} to a chat turn.");
            }
            catch (RequestTimeoutException) when (attempt < _options.TurnAttempts && !cancellationToken.IsCancellationRequested)
            {
                // Same TurnId: if the first attempt was applied, this one is answered from the store.
            }
        }
    }

    /// <summary>A page of a session's messages, newest last; <see cref="SessionHistoryResult.Found"/> is false for an unknown session.</summary>
    /// <param name="tenantId">The tenant the session belongs to.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="limit">How many messages at most (1–500).</param>
    /// <param name="beforeSeq">Only messages before this sequence number: the previous page's first, to page backwards.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<SessionHistoryResult> GetHistoryAsync(string tenantId, string sessionId, int limit = 100, long? beforeSeq = null,
        CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline((send, token) => history.GetResponse<SessionHistory, SessionNotFound>(
            new GetSessionHistory(tenantId, sessionId, limit, beforeSeq), send.Configure, token, _options.RequestTimeout), "history", cancellationToken);
        return response.Is(out Response<SessionHistory>? found) ? new SessionHistoryResult(found.Message) : new SessionHistoryResult(null);
    }

    /// <summary>Erases a session everywhere: what was erased, or that a legal hold keeps it.</summary>
    public async Task<ErasureResult<SessionErased>> EraseAsync(string tenantId, string sessionId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline((send, token) => erasure.GetResponse<SessionErased, ErasureRefused>(
            new EraseSession(tenantId, sessionId, reason), send.Configure, token, _options.RequestTimeout), "erase", cancellationToken);
        return response.Is(out Response<SessionErased>? erased) ? new(erased.Message, null) : new(null, response.Is(out Response<ErasureRefused>? refused) ? refused.Message : throw Unexpected(response.Message));
    }

    /// <summary>Erases every session of a user within the tenant: what was erased, or that a legal hold keeps them.</summary>
    public async Task<ErasureResult<UserErased>> EraseUserAsync(string tenantId, string userId, string? reason = null, CancellationToken cancellationToken = default)
    {
        // Erasing many sessions takes longer than one request's timeout allows; a timed-out request sent again is
        // answered with what the first erased (the request id is the same).
        var response = await WithinDeadline((send, token) => userErasure.GetResponse<UserErased, ErasureRefused>(
            new EraseUser(tenantId, userId, reason), send.Configure, token, _options.RequestTimeout), "erase user", cancellationToken);
        return response.Is(out Response<UserErased>? erased) ? new(erased.Message, null) : new(null, response.Is(out Response<ErasureRefused>? refused) ? refused.Message : throw Unexpected(response.Message));
    }

    /// <summary>Everything held about a session besides its messages (those come through history pages); null when it does not exist.</summary>
    public async Task<SessionExport?> ExportSessionAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline((send, token) => export.GetResponse<SessionExport, SessionNotFound>(
            new ExportSession(tenantId, sessionId), send.Configure, token, _options.RequestTimeout), "export", cancellationToken);
        return response.Is(out Response<SessionExport>? found) ? found!.Message : null;
    }

    /// <summary>
    /// A session with all its messages, or null when it does not exist. The messages are read in pages backwards from
    /// the last one the export counted, so the two agree even while turns arrive; no page is larger than the worker's
    /// page limits allow, however long the conversation.
    /// </summary>
    public async Task<ExportedSession?> ExportSessionWithMessagesAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default)
    {
        if (await ExportSessionAsync(tenantId, sessionId, cancellationToken) is not { } session)
        {
            return null;
        }
        var pages = new List<IReadOnlyList<SessionMessage>>();
        long? before = session.MessageCount + 1L;
        while (before > 1)
        {
            var page = await GetHistoryAsync(tenantId, sessionId, ExportPageSize, before, cancellationToken);
            if (page.History is not { Messages.Count: > 0 } history)
            {
                break; // erased while we read: what was read is still this export's
            }
            pages.Add(history.Messages);
            before = history.HasMore ? history.Messages[0].Seq : null;
        }
        pages.Reverse();
        return new ExportedSession(session, pages.SelectMany(p => p).ToList());
    }

    /// <summary>Messages per history page of an export: the most a page may hold (the worker also caps its bytes).</summary>
    public const int ExportPageSize = 1_000;

    /// <summary>Every session of a user within the tenant, latest activity first (all pages of <see cref="ListUserSessionsAsync"/>).</summary>
    public async Task<IReadOnlyList<UserSessionSummary>> ListAllUserSessionsAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var sessions = new List<UserSessionSummary>();
        string? cursor = null;
        do
        {
            var page = await ListUserSessionsAsync(tenantId, userId, cursor: cursor, limit: 200, cancellationToken: cancellationToken);
            sessions.AddRange(page.Sessions);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return sessions;
    }

    /// <summary>
    /// Everything held about a user within the tenant as one document: every session with all its messages. A session
    /// erased while the export runs is left out. <paramref name="progress"/> hears of each session as it is read.
    /// </summary>
    public async Task<SkillForgeExport> ExportUserAsync(string tenantId, string userId, IProgress<ExportedSession>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var exported = new List<ExportedSession>();
        foreach (var summary in await ListAllUserSessionsAsync(tenantId, userId, cancellationToken))
        {
            if (await ExportSessionWithMessagesAsync(tenantId, summary.SessionId, cancellationToken) is { } session)
            {
                exported.Add(session);
                progress?.Report(session);
            }
        }
        return new SkillForgeExport(SkillForgeExport.CurrentFormat, DateTimeOffset.UtcNow, tenantId, userId, exported);
    }

    /// <summary>A page of one user's sessions within a tenant, latest activity first; pass <c>NextCursor</c> back for the next.</summary>
    public async Task<UserSessionList> ListUserSessionsAsync(string tenantId, string userId, string? status = null, string? cursor = null,
        int limit = 50, CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline((send, token) => userSessions.GetResponse<UserSessionList>(
            new ListUserSessions(tenantId, userId, status, cursor, limit), send.Configure, token, _options.RequestTimeout), "user's sessions", cancellationToken);
        return response.Message;
    }

    /// <summary>An operator's page of a tenant's sessions: the list, or what was wrong with the request.</summary>
    public async Task<(SessionList? List, ListSessionsRejected? Rejected)> ListSessionsAsync(string tenantId, string? status = null,
        string? afterSessionId = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline((send, token) => listing.GetResponse<SessionList, ListSessionsRejected>(
            new ListSessions(tenantId, status, afterSessionId, limit), send.Configure, token, _options.RequestTimeout), "listing", cancellationToken);
        if (response.Is(out Response<SessionList>? list))
        {
            return (list.Message, null);
        }
        return response.Is(out Response<ListSessionsRejected>? rejected)
            ? (null, rejected.Message)
            : throw new InvalidOperationException($"Unexpected response {response.Message.GetType().Name} to a listing.");
    }

    private Task<T> WithinDeadline<T>(Func<RequestSend, CancellationToken, Task<T>> request, string what, CancellationToken cancellationToken) =>
        RequestDeadline.WithinAsync(_options, request, what, cancellationToken);

    private static InvalidOperationException Unexpected(object answer) => new($"Unexpected response {answer.GetType().Name} to an erasure.");

    private static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(text, out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }
            text = text[used..];
        }
        return true;
    }
}
