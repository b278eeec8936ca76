using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts;

namespace SkillForge.Cli.Commands;

/// <summary>Right to erasure for one session or all of a user's sessions, after a confirmation (or <c>--yes</c>).</summary>
internal static class EraseCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var session = CliOptions.Session(required: false);
        var user = CliOptions.User();
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit trail as a code)" };
        var yes = CliOptions.Yes();
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("erase", "Erase a session, or every session of a user, everywhere (messages, rows, cache, failed copies)")
        {
            tenant, session, user, reason, yes, json, timeout,
        };
        command.Validators.Add(result => CliOptions.ExactlyOne(result, session, user));
        command.SetAction(async (result, cancellationToken) =>
        {
            var (t, s, u) = (result.GetValue(tenant)!, result.GetValue(session), result.GetValue(user));
            var what = s is not null ? $"session {s}" : $"every session of user {CliOutput.Visible(u!)}";
            if (!result.GetValue(yes) && !await CliOptions.ConfirmAsync(environment, $"Erase {what} of tenant {t} for good?"))
            {
                await environment.Output.WriteLineAsync("Nothing erased.");
                return ExitCodes.RejectedOrNotFound;
            }
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
            return s is not null
                ? await EraseSessionAsync(environment, client, t, s, result.GetValue(reason), result.GetValue(json), cancellationToken)
                : await EraseUserAsync(environment, client, t, u!, result.GetValue(reason), result.GetValue(json), cancellationToken);
        });
        return command;
    }

    private static async Task<int> EraseSessionAsync(CliEnvironment environment, SkillForgeClient client, string t, string s, string? reason, bool json,
        CancellationToken cancellationToken)
    {
        var answer = await client.EraseAsync(t, s, reason, cancellationToken);
        await WriteAsync(environment, answer, json, erased => erased.Existed
            ? $"Erased session {s}: {erased.MessagesDeleted} messages deleted" + Copies(erased.CopiesDeleted)
            : $"Session {s} of tenant {t} did not exist; nothing to erase.");
        return answer.Erased is { Existed: true } ? ExitCodes.Ok : ExitCodes.RejectedOrNotFound;
    }

    private static async Task<int> EraseUserAsync(CliEnvironment environment, SkillForgeClient client, string t, string u, string? reason, bool json,
        CancellationToken cancellationToken)
    {
        var answer = await client.EraseUserAsync(t, u, reason, cancellationToken);
        await WriteAsync(environment, answer, json, erased => erased.SessionsErased > 0
            ? $"Erased {erased.SessionsErased} sessions of user {CliOutput.Visible(u)}: {erased.MessagesDeleted} messages deleted" + Copies(erased.CopiesDeleted)
            : $"User {CliOutput.Visible(u)} has no sessions in tenant {t}; nothing to erase.");
        return answer.Erased is { SessionsErased: > 0 } ? ExitCodes.Ok : ExitCodes.RejectedOrNotFound;
    }

    /// <summary>The answer as JSON, the refusal, or what was erased in words.</summary>
    private static async Task WriteAsync<T>(CliEnvironment environment, ErasureResult<T> answer, bool json, Func<T, string> describe)
        where T : class
    {
        if (json)
        {
            await CliOutput.JsonAsync(environment, (object?)answer.Erased ?? answer.Refused);
        }
        else
        {
            await environment.Output.WriteLineAsync(answer.Refused is { } refused ? Refusal(refused) : describe(answer.Erased!));
        }
    }

    private static string Refusal(ErasureRefused refused) => $"Not erased ({refused.Code}): {refused.Reason}";

    private static string Copies(int copies) =>
        copies > 0 ? $", {copies} failed copies removed from the error and dead-letter queues." : ".";
}
