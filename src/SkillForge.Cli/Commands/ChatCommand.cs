using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;

namespace SkillForge.Cli.Commands;

/// <summary>
/// An interactive conversation with the agent: one line is one turn. Shows the agent's state and the session
/// version with every reply; naming an existing session resumes it. Ends at end of input or <c>/quit</c>.
/// </summary>
internal static class ChatCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var session = CliOptions.Session(required: false);
        session.Description = "Session id (a new one when left out; an existing one is resumed)";
        var user = new Option<string?>("--user") { Description = "User id sent with each turn" };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("chat", "Talk to the skill-creation agent, one line a turn") { tenant, session, user, json, timeout };
        command.SetAction((result, cancellationToken) => RunAsync(environment, result.GetValue(tenant)!, result.GetValue(session),
            result.GetValue(user), result.GetValue(json), result.GetValue(timeout), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment environment, string tenant, string? sessionId, string? user, bool json,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bus = await environment.StartBusAsync(timeout, cancellationToken);
        var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
        var session = sessionId ?? $"cli-{Guid.NewGuid():N}"[..16];
        var output = environment.Output;

        if (!json)
        {
            var existing = await client.GetHistoryAsync(tenant, session, limit: 1, cancellationToken: cancellationToken);
            await output.WriteLineAsync(existing.History is { } h
                ? $"Resuming session {session}: state {h.State}, version {h.Version}, {h.Status}."
                : $"New session {session}. Type a message; /quit or end of input to leave.");
        }

        var exitCode = ExitCodes.Ok;
        while (await environment.Input.ReadLineAsync(cancellationToken) is { } line)
        {
            var text = line.TrimEnd();
            if (text.Length == 0)
            {
                continue;
            }
            if (text is "/quit" or "/exit")
            {
                break;
            }
            var answer = await client.SendTurnAsync(tenant, session, text, userId: user, cancellationToken: cancellationToken);
            if (json)
            {
                await CliOutput.JsonAsync<object>(environment, answer.IsReplied ? answer.Replied! : answer.Rejected!);
            }
            else if (answer.Replied is { } replied)
            {
                await output.WriteLineAsync($"[{replied.State} · v{replied.Version}{(replied.Resumed ? " · resumed" : "")}{(replied.Replayed ? " · replayed" : "")}]");
                await output.WriteLineAsync(CliOutput.Visible(replied.Reply));
                await output.WriteLineAsync();
            }
            else
            {
                await output.WriteLineAsync($"[rejected: {answer.Rejected!.Code}] {CliOutput.Visible(answer.Rejected.Reason)}");
            }

            if (answer.Rejected is { Code: "session_closed" })
            {
                exitCode = ExitCodes.RejectedOrNotFound;
                break;
            }
            if (answer.Replied is { Status: "completed" })
            {
                break;
            }
        }
        return exitCode;
    }
}
