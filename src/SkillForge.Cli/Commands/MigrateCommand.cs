using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Migrations;

namespace SkillForge.Cli.Commands;

/// <summary>
/// Applies pending schema migrations (as the table owner, <c>ConnectionStrings:PostgresAdmin</c>), or with <c>--list</c>
/// shows each migration as applied (when), pending or changed, and applies nothing.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var list = new Option<bool>("--list") { Description = "Show applied and pending migrations; apply nothing" };
        var json = CliOptions.Json();
        var command = new Command("migrate", "Apply pending database migrations") { list, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var connectionString = SessionsHostingExtensions.RequiredConnectionString(environment.Configuration, "PostgresAdmin");
            await using var dataSource = SessionsHostingExtensions.BuildDataSource(connectionString, "skillforge-cli");
            if (result.GetValue(list))
            {
                var states = await new SchemaMigrator(new MigrationDatabase(dataSource), NullLogger<SchemaMigrator>.Instance).ListAsync(cancellationToken);
                if (result.GetValue(json))
                {
                    await CliOutput.JsonAsync(environment, states);
                }
                else
                {
                    foreach (var m in states)
                    {
                        await environment.Output.WriteLineAsync($"{m.Version:0000} {m.Name,-40} {m.State,-8} {m.AppliedAt?.ToString("u") ?? ""}");
                    }
                }
                // A changed migration stops the worker from starting: say so in the exit code too.
                return states.Any(m => m.State == "changed") ? ExitCodes.RejectedOrNotFound : ExitCodes.Ok;
            }
            var applied = await new SchemaMigrator(new MigrationDatabase(dataSource), NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken);
            await environment.Output.WriteLineAsync(applied.Count == 0
                ? $"Schema is current ({SchemaMigrator.EmbeddedMigrations.Count} migrations)."
                : $"Applied migrations {string.Join(", ", applied)}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
