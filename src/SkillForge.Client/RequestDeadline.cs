using MassTransit;

namespace SkillForge.Client;

/// <summary>What every request of the clients shares: a deadline of its own, and a mandatory send.</summary>
internal static class RequestDeadline
{
    /// <summary>
    /// One request, ended at a deadline of its own: the request timeout plus
    /// <see cref="SkillForgeClientOptions.SendGrace"/>. MassTransit's request timeout only runs once the message is on
    /// the broker, and a send can hang before that: a publish whose confirmation never comes because the RabbitMQ node
    /// died with it unconfirmed (the fault suite's cluster scenario once hung a turn so; rabbitmq-dotnet-client#1930
    /// has publishes hang after a broker restart). So the caller stops waiting at the deadline even when the send
    /// ignores its token, and gets a <see cref="RequestTimeoutException"/> around what ended it. A caller's own
    /// cancellation stays a cancellation.
    /// </summary>
    public static async Task<T> WithinAsync<T>(SkillForgeClientOptions options, Func<CancellationToken, Task<T>> request, string what, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.RequestTimeout + options.SendGrace);
        var pending = request(deadline.Token);
        try
        {
            return await pending.WaitAsync(deadline.Token);
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

    /// <summary>
    /// Requests go out mandatory: when no queue is bound to the worker's exchange (the worker never deployed, the
    /// broker's definitions not loaded) RabbitMQ returns the message and the call fails at once with a
    /// <see cref="RequestException"/> around <see cref="MessageReturnedException"/> (312 NO_ROUTE), instead of waiting
    /// out every timeout for an answer that cannot come.
    /// </summary>
    public static void Mandatory<T>(IRequestPipeConfigurator<T> request)
        where T : class =>
        request.UseExecute(context =>
        {
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.Mandatory = true;
            }
        });
}
