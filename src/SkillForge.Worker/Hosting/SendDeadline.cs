using Microsoft.Extensions.Options;

namespace SkillForge.Worker.Hosting;

/// <summary>
/// Every message the worker sends — replies, queued writes, the cleanup's schedule and report — is sent or failed
/// within <see cref="WorkerOptions.SendTimeout"/>. A send can otherwise wait for good: on a channel's one-time
/// topology set-up that a broker restart left unfinished (MassTransit's OneTimeSetup wait takes no cancellation), or
/// on a publish confirmation that never comes (rabbitmq-dotnet-client#1930). Such a consume holds one of its endpoint's concurrent-message
/// slots for as long as the process lives, while the worker looks healthy; bounded, it fails with a
/// <see cref="SendTimeoutException"/>, a <see cref="TimeoutException"/>, so the endpoint's retry runs the message
/// again (a chat turn is then answered from the store: it was applied before its reply was sent).
/// </summary>
public sealed class SendDeadline(IOptions<WorkerOptions> options, ILogger<SendDeadline> logger)
{
    private readonly TimeSpan _timeout = options.Value.SendTimeout;

    /// <param name="what">For the error: "the reply to turn …", "the queued write of turn …".</param>
    public async Task WithinAsync(Task send, string what)
    {
        try
        {
            await send.WaitAsync(_timeout);
        }
        catch (TimeoutException e) when (!send.IsCompleted)
        {
            // Left behind: it may still fail later; observe it, so that is no unobserved task exception.
            _ = send.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            WorkerLog.SendTimedOut(logger, what, _timeout);
            throw new SendTimeoutException($"Sending {what} did not complete within {_timeout}.", e);
        }
    }
}

/// <summary>A send the worker gave up on (<see cref="SendDeadline"/>); retried like any other timeout.</summary>
public sealed class SendTimeoutException(string message, Exception innerException) : TimeoutException(message, innerException);
