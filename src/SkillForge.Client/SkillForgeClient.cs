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
/// <see cref="RequestTimeoutException"/> after the last attempt).
/// </summary>
public sealed class SkillForgeClient(
    IRequestClient<ProcessChatTurn> turns,
    IRequestClient<GetSessionHistory> history,
    IRequestClient<EraseSession> erasure,
    IRequestClient<ListUserSessions> userSessions,
    IRequestClient<ExportSession> export,
    IRequestClient<ListSessions> listing,
    IOptions<SkillForgeClientOptions> options)
{
    private readonly SkillForgeClientOptions _options = options.Value;

    public Task<ChatTurnResult> SendTurnAsync(string tenantId, string sessionId, string text,
        Guid? turnId = null, string? userId = null, CancellationToken cancellationToken = default) =>
        SendTurnAsync(new ProcessChatTurn(tenantId, sessionId, turnId ?? Guid.NewGuid(), text, userId, DateTimeOffset.UtcNow), cancellationToken);

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
                var response = await WithinDeadline(token => turns.GetResponse<ChatTurnReplied, ChatTurnRejected>(turn, Mandatory, token, _options.RequestTimeout),
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

    public async Task<SessionHistoryResult> GetHistoryAsync(string tenantId, string sessionId, int limit = 100, long? beforeSeq = null,
        CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline(token => history.GetResponse<SessionHistory, SessionNotFound>(
            new GetSessionHistory(tenantId, sessionId, limit, beforeSeq), Mandatory, token, _options.RequestTimeout), "history", cancellationToken);
        return response.Is(out Response<SessionHistory>? found) ? new SessionHistoryResult(found.Message) : new SessionHistoryResult(null);
    }

    public async Task<SessionErased> EraseAsync(string tenantId, string sessionId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline(token => erasure.GetResponse<SessionErased>(
            new EraseSession(tenantId, sessionId, reason), Mandatory, token, _options.RequestTimeout), "erase", cancellationToken);
        return response.Message;
    }

    /// <summary>Everything held about a session besides its messages (those come through history pages); null when it does not exist.</summary>
    public async Task<SessionExport?> ExportSessionAsync(string tenantId, string sessionId, CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline(token => export.GetResponse<SessionExport, SessionNotFound>(
            new ExportSession(tenantId, sessionId), Mandatory, token, _options.RequestTimeout), "export", cancellationToken);
        return response.Is(out Response<SessionExport>? found) ? found!.Message : null;
    }

    /// <summary>A page of one user's sessions within a tenant, latest activity first; pass <c>NextCursor</c> back for the next.</summary>
    public async Task<UserSessionList> ListUserSessionsAsync(string tenantId, string userId, string? status = null, string? cursor = null,
        int limit = 50, CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline(token => userSessions.GetResponse<UserSessionList>(
            new ListUserSessions(tenantId, userId, status, cursor, limit), Mandatory, token, _options.RequestTimeout), "user's sessions", cancellationToken);
        return response.Message;
    }

    /// <summary>An operator's page of a tenant's sessions: the list, or what was wrong with the request.</summary>
    public async Task<(SessionList? List, ListSessionsRejected? Rejected)> ListSessionsAsync(string tenantId, string? status = null,
        string? afterSessionId = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var response = await WithinDeadline(token => listing.GetResponse<SessionList, ListSessionsRejected>(
            new ListSessions(tenantId, status, afterSessionId, limit), Mandatory, token, _options.RequestTimeout), "listing", cancellationToken);
        if (response.Is(out Response<SessionList>? list))
        {
            return (list.Message, null);
        }
        return response.Is(out Response<ListSessionsRejected>? rejected)
            ? (null, rejected.Message)
            : throw new InvalidOperationException($"Unexpected response {response.Message.GetType().Name} to a listing.");
    }

    /// <summary>
    /// One request, ended at a deadline of its own: the request timeout plus
    /// <see cref="SkillForgeClientOptions.SendGrace"/>. MassTransit's request timeout only runs once the message is on
    /// the broker, and a send can hang before that: a publish whose confirmation never comes because the RabbitMQ node
    /// died with it unconfirmed (the fault suite's cluster scenario once hung a turn so; rabbitmq-dotnet-client#1930
    /// has publishes hang after a broker restart). So the caller stops waiting at the deadline even when the send
    /// ignores its token, and gets a <see cref="RequestTimeoutException"/> around what ended it. A caller's own
    /// cancellation stays a cancellation.
    /// </summary>
    private async Task<T> WithinDeadline<T>(Func<CancellationToken, Task<T>> request, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout + _options.SendGrace);
        var pending = request(deadline.Token);
        try
        {
            return await pending.WaitAsync(deadline.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested
                                  && e is OperationCanceledException or RequestException and not RequestTimeoutException)
        {
            throw new RequestTimeoutException($"No answer to the {what} request within {_options.RequestTimeout}; its send did not complete.", e);
        }
        finally
        {
            if (!pending.IsCompleted)
            {
                // Left behind (deadline or caller): it may still fail later; observe it, so that is no unobserved exception.
                _ = pending.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Requests go out mandatory: when no queue is bound to the worker's exchange (the worker never deployed, the
    /// broker's definitions not loaded) RabbitMQ returns the message and the call fails at once with a
    /// <see cref="RequestException"/> around <see cref="MessageReturnedException"/> (312 NO_ROUTE), instead of waiting
    /// out every timeout for an answer that cannot come.
    /// </summary>
    private static void Mandatory<T>(IRequestPipeConfigurator<T> request)
        where T : class =>
        request.UseExecute(context =>
        {
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.Mandatory = true;
            }
        });

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
