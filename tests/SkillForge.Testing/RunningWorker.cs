using Microsoft.AspNetCore.Builder;

namespace SkillForge.Testing;

/// <summary>
/// A started worker host that stops before it is disposed. Disposing a host does not stop it: its bus would go on
/// taking messages from the shared queues with its database connections already disposed, and fail other tests' turns.
/// </summary>
public sealed class RunningWorker(WebApplication app) : IAsyncDisposable
{
    private bool _stopped;

    public IServiceProvider Services => app.Services;

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
    }
}
