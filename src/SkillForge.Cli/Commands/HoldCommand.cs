using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts.Operations;

namespace SkillForge.Cli.Commands;

/// <summary>
/// <c>hold place|release|list</c>: legal holds on a session, a user's sessions, or (naming neither) a whole tenant.
/// What a hold covers is neither purged by the cleanup nor erased until it is released.
/// </summary>
internal static class HoldCommand
{
    public static Command Create(CliEnvironment environment) =>
        new("hold", "Legal holds: keep a session, a user's sessions or a tenant from purge and erasure")
        {
            Place(environment), Release(environment), List(environment),
        };

    private static Command Place(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var session = CliOptions.Session(required: false);
        var user = CliOptions.User();
        var reason = new Option<string>("--reason") { Description = "Why (a case or request number), kept with the hold", Required = true };
        var by = CliOptions.By();
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("place", "Place a hold (on --session, on --user, or on the whole --tenant)") { tenant, session, user, reason, by, json, timeout };
        command.Validators.Add(result => NotBoth(result, session, user));
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();
            var (placed, rejected) = await client.PlaceHoldAsync(new PlaceLegalHold(result.GetValue(tenant)!, result.GetValue(session),
                result.GetValue(user), result.GetValue(reason)!, result.GetValue(by)!), cancellationToken);
            if (rejected is not null)
            {
                return await CliOutput.RejectedAsync(environment, rejected, result.GetValue(json));
            }
            if (result.GetValue(json))
            {
                await CliOutput.JsonAsync(environment, placed);
            }
            else
            {
                await environment.Output.WriteLineAsync((placed!.PlacedNow ? "Placed " : "Already in force: ") + Describe(placed.Hold));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Release(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var session = CliOptions.Session(required: false);
        var user = CliOptions.User();
        var by = CliOptions.By();
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("release", "Release the hold in force on --session, --user, or the whole --tenant") { tenant, session, user, by, json, timeout };
        command.Validators.Add(result => NotBoth(result, session, user));
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();
            var (released, rejected) = await client.ReleaseHoldAsync(new ReleaseLegalHold(result.GetValue(tenant)!, result.GetValue(session),
                result.GetValue(user), result.GetValue(by)!), cancellationToken);
            if (rejected is not null)
            {
                return await CliOutput.RejectedAsync(environment, rejected, result.GetValue(json));
            }
            if (result.GetValue(json))
            {
                await CliOutput.JsonAsync(environment, released);
            }
            else
            {
                await environment.Output.WriteLineAsync(released!.Hold is { } hold ? "Released " + Describe(hold) : "No hold in force there; nothing released.");
            }
            return released!.Hold is null ? ExitCodes.RejectedOrNotFound : ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliEnvironment environment)
    {
        var tenant = new Option<string?>("--tenant", "-t") { Description = "Only this tenant's holds (default: every tenant's)" };
        var all = new Option<bool>("--all") { Description = "Released holds too" };
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("list", "List the holds in force") { tenant, all, json, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();
            var list = await client.ListHoldsAsync(result.GetValue(tenant), result.GetValue(all), cancellationToken);
            if (result.GetValue(json))
            {
                await CliOutput.JsonAsync(environment, list);
                return ExitCodes.Ok;
            }
            foreach (var hold in list.Holds)
            {
                await environment.Output.WriteLineAsync(Describe(hold));
            }
            await environment.Output.WriteLineAsync(list.Holds.Count == 0 ? "No holds." : $"{list.Holds.Count} holds.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void NotBoth(System.CommandLine.Parsing.CommandResult result, Option<string> session, Option<string?> user)
    {
        if (result.GetResult(session) is { Implicit: false } && result.GetResult(user) is { Implicit: false })
        {
            result.AddError("A hold covers a session or a user's sessions: give --session or --user, not both (neither: the whole tenant).");
        }
    }

    private static string Describe(LegalHoldInfo hold)
    {
        var scope = hold.SessionId is not null ? $"session {hold.SessionId}"
            : hold.UserId is not null ? $"user {CliOutput.Visible(hold.UserId)}" : "the whole tenant";
        var released = hold.ReleasedAt is { } at ? $", released {at:u} by {CliOutput.Visible(hold.ReleasedBy ?? "")}" : "";
        return $"hold #{hold.Id} on {scope} of tenant {hold.TenantId}: {CliOutput.Visible(hold.Reason)} (placed {hold.PlacedAt:u} by {CliOutput.Visible(hold.PlacedBy)}{released})";
    }
}
