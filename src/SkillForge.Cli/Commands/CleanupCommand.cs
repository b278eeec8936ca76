using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>Sends <see cref="CleanupSessions"/> by hand and waits for the worker's <see cref="SessionsCleanedUp"/>.</summary>
internal static class CleanupCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "Apply the retention rules as of this moment (default now), e.g. 2026-12-01T03:00:00Z" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would happen and change nothing" };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(300);
        var command = new Command("cleanup", "Run the retention policy now") { asOf, dryRun, json, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var moment = result.GetValue(asOf) ?? DateTimeOffset.UtcNow;
            var done = new TaskCompletionSource<SessionsCleanedUp>(TaskCreationOptions.RunContinuationsAsynchronously);
            var busControl = bus.Services.GetRequiredService<IBus>();
            // A temporary queue bound to the event's exchange: this CLI hears the report of its own run.
            var handle = busControl.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance, endpoint =>
                endpoint.Handler<SessionsCleanedUp>(context =>
                {
                    if (context.Message.AsOf == moment && context.Message.DryRun == result.GetValue(dryRun))
                    {
                        done.TrySetResult(context.Message);
                    }
                    return Task.CompletedTask;
                }));
            await handle.Ready;
            try
            {
                var endpoint = await busControl.GetSendEndpoint(SkillForgeQueues.Address(SkillForgeQueues.Cleanup));
                await endpoint.Send(new CleanupSessions(moment, result.GetValue(dryRun)), cancellationToken);
                var waiting = done.Task.WaitAsync(result.GetValue(timeout), cancellationToken);
                var report = await CliOutput.LiveAsync(environment, result.GetValue(json),
                    console => console.Status().StartAsync($"Cleanup as of {moment:u} sent; waiting for the worker's report…", _ => waiting),
                    () => waiting);
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
