using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Sessions;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>
/// A tenant's sessions with keyset paging. The wire contract has no listing message, so this reads PostgreSQL as
/// the runtime role (row-level security scopes it to the tenant) — read-only.
/// </summary>
internal static class SessionsCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var status = new Option<string?>("--status") { Description = "active, completed or abandoned" };
        var after = new Option<string?>("--after") { Description = "Continue after this session id (paging)" };
        var limit = new Option<int>("--limit") { Description = "Sessions per page (1–1000)", DefaultValueFactory = _ => 50 };
        var json = CliOptions.Json();
        var command = new Command("sessions", "List a tenant's sessions") { tenant, status, after, limit, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var connectionString = environment.Configuration.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured.");
            await using var dataSource = SessionsHostingExtensions.BuildDataSource(connectionString, "skillforge-cli");
            var store = new SessionStore(new SessionDatabase(dataSource), Options.Create(new SessionStoreOptions()), NullLogger<SessionStore>.Instance);
            IReadOnlyList<SessionSummary> sessions;
            try
            {
                sessions = await store.ListSessionsAsync(result.GetValue(tenant)!, result.GetValue(status), result.GetValue(after), result.GetValue(limit), cancellationToken);
            }
            catch (InvalidSessionInputException e)
            {
                await environment.Output.WriteLineAsync(e.Message);
                return ExitCodes.Usage;
            }
            if (result.GetValue(json))
            {
                await CliOutput.JsonAsync(environment, sessions);
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("Session", "Status", "State", "Skill", "Version", "Messages", "Last activity (UTC)");
            foreach (var s in sessions)
            {
                table.AddRow(Markup.Escape(s.SessionId), s.Status, s.State, Markup.Escape(s.SkillName ?? ""), s.Version.ToString(),
                    s.MessageCount.ToString(), s.LastActivityAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"));
            }
            var console = CliOutput.Console(environment);
            console.Write(table);
            if (sessions.Count == result.GetValue(limit))
            {
                console.WriteLine($"More: --after {sessions[^1].SessionId}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
