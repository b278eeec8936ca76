using Microsoft.Extensions.Options;
using SkillForge.Sessions.Migrations;

namespace SkillForge.Worker.Hosting;

/// <summary>Applies pending migrations at start-up (under the migrator's advisory lock) unless turned off.</summary>
internal sealed class MigrateOnStartService(SchemaMigrator migrator, IOptions<WorkerOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStart)
        {
            await migrator.MigrateAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
