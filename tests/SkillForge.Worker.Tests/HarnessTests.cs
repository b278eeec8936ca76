using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkillForge.Client;

namespace SkillForge.Worker.Tests;

/// <summary>A test class with its own worker host over the in-memory harness (<see cref="WorkerTestHost"/>) and the typed client.</summary>
public abstract class HarnessTests : IAsyncLifetime
{
    protected IHost Host { get; private set; } = null!;

    protected SkillForgeClient Client => Host.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();

    public async Task InitializeAsync() => Host = await WorkerTestHost.StartAsync();

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
