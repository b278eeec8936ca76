using Microsoft.AspNetCore.Builder;

namespace SkillForge.Testing.Worker;

/// <summary>
/// A started worker host that stops before it is disposed. Disposing a host does not stop it: its bus would go on
/// taking messages from the shared queues with its database connections already disposed, and fail other tests' turns.
/// </summary>
public sealed class RunningWorker(WebApplication app) : IAsyncDisposable
{
    /// <summary>
    /// Past the worker's own stop timeouts (10 s in tests): a stop that takes longer is stuck, and a test that waits for
    /// it would hang the whole run (seen once: a receive endpoint wedged in RabbitMQ.Client's ExchangeDeclareAsync
    /// after a cut connection, and MassTransit's bus stop waiting on it for good).
    /// </summary>
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(45);

    private bool _stopped;

    public IServiceProvider Services => app.Services;

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            try
            {
                await app.StopAsync().WaitAsync(StopLimit);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"The worker did not stop within {StopLimit.TotalSeconds:F0} s: a stuck bus or consumer.", e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync().AsTask().WaitAsync(StopLimit);
    }
}
