using Microsoft.Extensions.Hosting;

namespace SkillForge.Worker.Tests;

/// <summary>Stops and disposes a host at the end of a <c>using</c> block.</summary>
internal sealed class AsyncHost(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public Task StopAsync() => host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
