using Microsoft.Extensions.Options;
using SkillForge.Sessions.Migrations;

namespace SkillForge.Worker.Hosting;

/// <summary>
/// Applies pending migrations at start-up (under the migrator's advisory lock) when turned on. The migrator, and
/// with it the owner's connection string, is resolved only then: a worker that does not migrate never holds it.
/// </summary>
internal sealed class MigrateOnStartService(IServiceProvider services, IOptions<WorkerOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
