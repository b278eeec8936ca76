using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Migrations;

namespace SkillForge.Cli.Commands;

/// <summary>Applies pending schema migrations (as the table owner, <c>ConnectionStrings:PostgresAdmin</c>).</summary>
internal static class MigrateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var command = new Command("migrate", "Apply pending database migrations");
        command.SetAction(async (_, cancellationToken) =>
        {
            var connectionString = SessionsHostingExtensions.RequiredConnectionString(environment.Configuration, "PostgresAdmin");
            await using var dataSource = SessionsHostingExtensions.BuildDataSource(connectionString, "skillforge-cli");
            var applied = await new SchemaMigrator(new MigrationDatabase(dataSource), NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken);
            await environment.Output.WriteLineAsync(applied.Count == 0
                ? $"Schema is current ({SchemaMigrator.EmbeddedMigrations.Count} migrations)."
                : $"Applied migrations {string.Join(", ", applied)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
