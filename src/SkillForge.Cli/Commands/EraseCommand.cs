using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;

namespace SkillForge.Cli.Commands;

/// <summary>Right to erasure for one session, after a confirmation (or <c>--yes</c>).</summary>
internal static class EraseCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var session = CliOptions.Session();
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit trail)" };
        var yes = CliOptions.Yes();
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("erase", "Erase a session everywhere (messages, row, cache)") { tenant, session, reason, yes, json, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (t, s) = (result.GetValue(tenant)!, result.GetValue(session)!);
            if (!result.GetValue(yes) && !await CliOptions.ConfirmAsync(environment, $"Erase session {s} of tenant {t} for good?"))
            {
                await environment.Output.WriteLineAsync("Nothing erased.");
                return ExitCodes.RejectedOrNotFound;
            }
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
            var erased = await client.EraseAsync(t, s, result.GetValue(reason), cancellationToken);
            if (result.GetValue(json))
            {
                await CliOutput.JsonAsync(environment, erased);
            }
            else
            {
                await environment.Output.WriteLineAsync(erased.Existed
                    ? $"Erased session {s}: {erased.MessagesDeleted} messages deleted" +
                      (erased.CopiesDeleted > 0 ? $", {erased.CopiesDeleted} failed copies removed from the error and dead-letter queues." : ".")
                    : $"Session {s} of tenant {t} did not exist; nothing to erase.");
            }
            return erased.Existed ? ExitCodes.Ok : ExitCodes.RejectedOrNotFound;
        });
        return command;
    }
}
