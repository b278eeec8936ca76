using Microsoft.Extensions.Hosting;
using SkillForge.Client;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests;

/// <summary>Stops and disposes a host at the end of a <c>using</c> block.</summary>
internal sealed class AsyncHost(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    /// <summary>The host's typed client.</summary>
    public SkillForgeClient Client => RealWorker.ClientOf(host);

    public Task StopAsync() => host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
