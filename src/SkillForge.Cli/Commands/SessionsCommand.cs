using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>
/// A tenant's sessions with keyset paging, asked of the worker over the bus (ListSessions); or, with <c>--user</c>, one
/// user's sessions, latest activity first (ListUserSessions, paged by an opaque cursor).
/// </summary>
internal static class SessionsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var user = CliOptions.User();
        var status = new Option<string?>("--status") { Description = "active, completed or abandoned" };
        var after = new Option<string?>("--after") { Description = "Continue after this session id (paging a tenant's sessions)" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue from this cursor (paging a user's sessions)" };
        var limit = new Option<int>("--limit") { Description = "Sessions per page (1–1000; a user's: 1–200)", DefaultValueFactory = _ => 50 };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("sessions", "List a tenant's sessions, or one user's") { tenant, user, status, after, cursor, limit, json, timeout };
        command.Validators.Add(result =>
        {
            var hasUser = result.GetResult(user) is { Implicit: false };
            if (hasUser ? result.GetResult(after) is { Implicit: false } : result.GetResult(cursor) is { Implicit: false })
            {
                result.AddError("Page a tenant's sessions with --after, a user's (--user) with --cursor.");
            }
        });
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
            if (result.GetValue(user) is { } u)
            {
                var page = await client.ListUserSessionsAsync(result.GetValue(tenant)!, u, result.GetValue(status), result.GetValue(cursor),
                    result.GetValue(limit), cancellationToken);
                return await WriteUserSessionsAsync(environment, page, result.GetValue(json));
            }
            var (list, rejected) = await client.ListSessionsAsync(result.GetValue(tenant)!, result.GetValue(status), result.GetValue(after),
                result.GetValue(limit), cancellationToken);
            if (list is null)
            {
                // The request itself was wrong (an id, a status or a limit): a usage error, as for a bad option.
                await environment.Output.WriteLineAsync(CliOutput.Visible(rejected!.Reason));
                return ExitCodes.Usage;
            }
            return await WriteTenantSessionsAsync(environment, list, result.GetValue(json));
        });
        return command;
    }

    private static async Task<int> WriteTenantSessionsAsync(CliEnvironment environment, SessionList list, bool json)
    {
        if (json)
        {
            await CliOutput.JsonAsync(environment, list); // with NextAfter, so a script can page on
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
    }

    private static async Task<int> WriteUserSessionsAsync(CliEnvironment environment, UserSessionList page, bool json)
    {
        if (json)
        {
            await CliOutput.JsonAsync(environment, page); // with NextCursor
            return ExitCodes.Ok;
        }
        var table = new Table().AddColumns("Session", "Status", "State", "Skill", "Messages", "Created (UTC)", "Last activity (UTC)");
        foreach (var s in page.Sessions)
        {
            table.AddRow(Markup.Escape(s.SessionId), s.Status, s.State, Markup.Escape(CliOutput.Visible(s.SkillName ?? "")), s.MessageCount.ToString(),
                s.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"), s.LastActivityAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
        }
        var console = CliOutput.Console(environment);
        console.Write(table);
        if (page.NextCursor is { } next)
        {
            console.WriteLine($"More: --cursor {next}");
        }
        return ExitCodes.Ok;
    }
}
