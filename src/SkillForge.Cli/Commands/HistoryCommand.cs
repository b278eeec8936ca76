using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>A page of a session's messages as a table (or JSON), newest page first; <c>--before</c> pages back.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var session = CliOptions.Session();
        var limit = new Option<int>("--limit") { Description = "Messages per page (1–1000)", DefaultValueFactory = _ => 20 };
        var before = new Option<long?>("--before") { Description = "Only messages with a smaller sequence number (page back)" };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("history", "Show a session's messages") { tenant, session, limit, before, json, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
            var page = await client.GetHistoryAsync(result.GetValue(tenant)!, result.GetValue(session)!, result.GetValue(limit),
                result.GetValue(before), cancellationToken);
            if (page.History is not { } history)
            {
                await environment.Output.WriteLineAsync($"Session {result.GetValue(session)} of tenant {result.GetValue(tenant)} was not found.");
                return ExitCodes.RejectedOrNotFound;
            }
            if (result.GetValue(json))
            {
                await CliOutput.JsonAsync(environment, history);
                return ExitCodes.Ok;
            }
            var console = CliOutput.Console(environment);
            console.WriteLine($"Session {history.SessionId}: {history.Status}, state {history.State}, version {history.Version}" +
                (history.SkillName is null ? "" : $", skill {CliOutput.Visible(history.SkillName)}") +
                (history.UserId is null ? "" : $", user {CliOutput.Visible(history.UserId)}"));
            var table = new Table().AddColumns("Seq", "Role", "Time (UTC)", "Content");
            foreach (var message in history.Messages)
            {
                table.AddRow(message.Seq.ToString(), message.Role, message.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), Markup.Escape(CliOutput.Visible(message.Content)));
            }
            console.Write(table);
            if (history.HasMore)
            {
                console.WriteLine($"Older messages: --before {history.Messages[0].Seq}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
