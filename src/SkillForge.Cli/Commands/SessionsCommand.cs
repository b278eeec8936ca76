using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>A tenant's sessions with keyset paging, asked of the worker over the bus (ListSessions).</summary>
internal static class SessionsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var status = new Option<string?>("--status") { Description = "active, completed or abandoned" };
        var after = new Option<string?>("--after") { Description = "Continue after this session id (paging)" };
        var limit = new Option<int>("--limit") { Description = "Sessions per page (1–1000)", DefaultValueFactory = _ => 50 };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("sessions", "List a tenant's sessions") { tenant, status, after, limit, json, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
            var (list, rejected) = await client.ListSessionsAsync(result.GetValue(tenant)!, result.GetValue(status), result.GetValue(after),
                result.GetValue(limit), cancellationToken);
            if (list is null)
            {
                // The request itself was wrong (an id, a status or a limit): a usage error, as for a bad option.
                await environment.Output.WriteLineAsync(CliOutput.Visible(rejected!.Reason));
                return ExitCodes.Usage;
            }
            if (result.GetValue(json))
            {
                await CliOutput.JsonAsync(environment, list.Sessions);
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("Session", "Status", "State", "Skill", "Version", "Messages", "Last activity (UTC)");
            foreach (var s in list.Sessions)
            {
                table.AddRow(Markup.Escape(s.SessionId), s.Status, s.State, Markup.Escape(CliOutput.Visible(s.SkillName ?? "")), s.Version.ToString(),
                    s.MessageCount.ToString(), s.LastActivityAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
            }
            var console = CliOutput.Console(environment);
            console.Write(table);
            if (list.NextAfter is { } next)
            {
                console.WriteLine($"More: --after {next}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
