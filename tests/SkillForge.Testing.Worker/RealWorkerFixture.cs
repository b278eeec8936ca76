using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using SkillForge.Client;
using Xunit;

namespace SkillForge.Testing.Worker;

/// <summary>One real worker and one upstream bus shared by the end-to-end tests of a class.</summary>
public sealed class RealWorkerFixture : IAsyncLifetime
{
    private RunningWorker? _worker;
    private IHost? _upstream;

    public SkillForgeClient Client => RealWorker.ClientOf(_upstream!);

    public async Task InitializeAsync()
    {
        try
        {
            _worker = await RealWorker.StartWorkerAsync();
            _upstream = await RealWorker.StartUpstreamAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The real worker could not start ({e.Message}). Are the services up? Run `ops/dev.sh up`.", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_upstream is not null)
        {
            await _upstream.StopAsync();
            _upstream.Dispose();
        }
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }
    }
}
