using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Broker;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Contracts.Queues;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>Sends <see cref="CleanupSessions"/> by hand and waits for the worker's <see cref="SessionsCleanedUp"/>.</summary>
internal static class CleanupCommand
{
    /// <summary>As the worker allows by default: clocks of two machines differ a little.</summary>
    private static readonly TimeSpan FutureSkew = TimeSpan.FromMinutes(5);

    public static Command Create(CliEnvironment environment)
    {
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "Apply the retention rules as of this moment (default now), e.g. 2026-12-01T03:00:00Z" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would happen and change nothing" };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(300);
        var yes = CliOptions.Yes();
        var command = new Command("cleanup", "Run the retention policy now") { asOf, dryRun, json, timeout, yes };
        command.SetAction(async (result, cancellationToken) =>
        {
            var moment = result.GetValue(asOf) ?? DateTimeOffset.UtcNow;
            var isDryRun = result.GetValue(dryRun);
            // The worker refuses these too; saying so here spares a round trip and explains it where the operator looks.
            if (!isDryRun && moment > DateTimeOffset.UtcNow + FutureSkew)
            {
                await environment.Output.WriteLineAsync($"--as-of {moment:u} is in the future: a real cleanup would abandon and purge what is " +
                    "still live. Add --dry-run to see what it would do.");
                return ExitCodes.Usage;
            }
            if (!isDryRun && result.GetValue(asOf) is not null && !result.GetValue(yes) &&
                !await CliOptions.ConfirmAsync(environment, $"Apply the retention policy for every tenant as of {moment:u}?"))
            {
                await environment.Output.WriteLineAsync("Nothing sent.");
                return ExitCodes.Ok;
            }
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var done = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
            var busControl = bus.Services.GetRequiredService<IBus>();
            // A private temporary queue bound to the events' exchanges: this CLI hears the outcome of its own run.
            // Another run's outcome says nothing of this one: only the one of this AsOf and kind ends the wait.
            Task Hear(DateTimeOffset outcomeAsOf, bool outcomeDryRun, object outcome)
            {
                if (outcomeAsOf == moment && outcomeDryRun == isDryRun)
                {
                    done.TrySetResult(outcome);
                }
                return Task.CompletedTask;
            }
            var handle = busControl.ConnectPrivateEndpoint(environment.Rabbit.Username, "cleanup-report", endpoint =>
            {
                endpoint.Handler<SessionsCleanedUp>(context => Hear(context.Message.AsOf, context.Message.DryRun, context.Message));
                endpoint.Handler<CleanupRefused>(context => Hear(context.Message.AsOf, context.Message.DryRun, context.Message));
            });
            await handle.Ready;
            try
            {
                var endpoint = await busControl.GetSendEndpoint(SkillForgeQueues.Address(SkillForgeQueues.Cleanup));
                await endpoint.Send(new CleanupSessions(moment, isDryRun), cancellationToken);
                var waiting = done.Task.WaitAsync(result.GetValue(timeout), cancellationToken);
                var outcome = await CliOutput.LiveAsync(environment, result.GetValue(json),
                    console => console.Status().StartAsync($"Cleanup as of {moment:u} sent; waiting for the worker's report…", _ => waiting),
                    () => waiting);
                if (outcome is CleanupRefused refused)
                {
                    await environment.Output.WriteLineAsync($"The worker refused the cleanup ({refused.Code}): {refused.Reason}");
                    return ExitCodes.RejectedOrNotFound;
                }
                var report = (SessionsCleanedUp)outcome;
                if (result.GetValue(json))
                {
                    await CliOutput.JsonAsync(environment, report);
                }
                else
                {
                    await environment.Output.WriteLineAsync(
                        $"Cleanup as of {report.AsOf:u}{(report.DryRun ? " (dry run: nothing changed)" : "")}: " +
                        $"{report.MarkedAbandoned} marked abandoned, {report.DeletedSessions} sessions and {report.DeletedMessages} messages deleted " +
                        $"in {report.Duration.TotalSeconds:F1} s.");
                }
                return ExitCodes.Ok;
            }
            finally
            {
                await handle.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }
}
