using MassTransit;

namespace SkillForge.Client;

/// <summary>What every request of the clients shares: a deadline of its own, a mandatory send, and a refusal reported at once.</summary>
internal static class RequestDeadline
{
    /// <summary>
    /// One request, ended at a deadline of its own: the request timeout plus
    /// <see cref="SkillForgeClientOptions.SendGrace"/>. MassTransit's request timeout only runs once the message is on
    /// the broker, and a send can hang before that: a publish whose confirmation never comes because the RabbitMQ node
    /// died with it unconfirmed (the fault suite's cluster scenario once hung a turn so; rabbitmq-dotnet-client#1930
    /// has publishes hang after a broker restart). So the caller stops waiting at the deadline even when the send
    /// ignores its token, and gets a <see cref="RequestTimeoutException"/> around what ended it. A caller's own
    /// cancellation stays a cancellation, and a publish the broker refused ends the request at once with
    /// <see cref="SkillForgeQueueFullException"/>.
    /// </summary>
    /// <param name="options">The timeouts.</param>
    /// <param name="request">Sends the request; it must configure its send with <see cref="RequestSend.Configure{TMessage}"/>.</param>
    /// <param name="what">The request as messages name it.</param>
    /// <param name="cancellationToken">The caller's: stops waiting.</param>
    public static async Task<T> WithinAsync<T>(SkillForgeClientOptions options, Func<RequestSend, CancellationToken, Task<T>> request, string what,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.RequestTimeout + options.SendGrace);
        var send = new RequestSend(deadline);
        var pending = request(send, deadline.Token);
        try
        {
            return await pending.WaitAsync(deadline.Token);
        }
        catch (Exception e) when (send.Refusal is { } refusal && e is OperationCanceledException or RequestException)
        {
            throw new SkillForgeQueueFullException(
                $"RabbitMQ refused the {what} request (basic.nack): the worker's queue is at its length limit, so the worker is that far "
                + "behind. Nothing was queued; send it again later.", refusal);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested
                                  && e is OperationCanceledException or RequestException and not RequestTimeoutException)
        {
            throw new RequestTimeoutException($"No answer to the {what} request within {options.RequestTimeout}; its send did not complete.", e);
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
}

/// <summary>
/// One request's send, carried on each attempt's send context as a payload, so that <see cref="RefusedPublishObserver"/>
/// can end the request when the broker refuses the publish: MassTransit treats a refused publish like a lost
/// connection and sends it again for as long as the caller waits, which would leave the caller with a timeout for a
/// queue that is full.
/// </summary>
internal sealed class RequestSend(CancellationTokenSource deadline)
{
    private Exception? _refusal;

    /// <summary>Why the broker refused the publish, once it has.</summary>
    public Exception? Refusal => Volatile.Read(ref _refusal);

    /// <summary>
    /// Requests go out mandatory: when no queue is bound to the worker's exchange (the worker never deployed, the
    /// broker's definitions not loaded) RabbitMQ returns the message and the call fails at once with a
    /// <see cref="RequestException"/> around <see cref="MessageReturnedException"/> (312 NO_ROUTE), instead of waiting
    /// out every timeout for an answer that cannot come.
    /// </summary>
    public void Configure<TMessage>(IRequestPipeConfigurator<TMessage> request)
        where TMessage : class =>
        request.UseExecute(context =>
        {
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.Mandatory = true;
            }
            context.GetOrAddPayload(() => this);
        });

    /// <summary>The broker refused the publish: stop the request before MassTransit sends it again.</summary>
    public void Refuse(Exception refusal)
    {
        if (Interlocked.CompareExchange(ref _refusal, refusal, null) is null)
        {
            deadline.Cancel();
        }
    }
}

/// <summary>Hears every failed send of the bus and ends the request whose publish the broker refused (basic.nack).</summary>
internal sealed class RefusedPublishObserver : ISendObserver
{
    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class
    {
        // MassTransit wraps RabbitMQ's nack as a connection failure; a returned (unroutable) message is another exception.
        if (exception is RabbitMqConnectionException { InnerException: RabbitMQ.Client.Exceptions.PublishException { IsReturn: false } }
            && context.TryGetPayload<RequestSend>(out var send))
        {
            send.Refuse(exception);
        }
        return Task.CompletedTask;
    }

    public Task PreSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;
}
