using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts.Operations;

namespace SkillForge.Cli.Commands;

/// <summary><c>retention set|show|clear</c>: a tenant's own retention periods, in place of the product's.</summary>
internal static class RetentionCommand
{
    public static Command Create(CliEnvironment environment) =>
        new("retention", "A tenant's own retention periods (1 to 3650 days each)")
        {
            Set(environment), Show(environment), Clear(environment),
        };

    private static Command Set(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var idle = Period("--idle", "An active session idle this long becomes abandoned");
        var completed = Period("--completed", "A completed session is deleted this long after completion");
        var abandoned = Period("--abandoned", "An abandoned session is deleted this long after it was marked");
        var audit = Period("--audit", "An audit line is deleted this long after it occurred");
        var by = CliOptions.By();
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("set", "Set one or more of a tenant's periods (the others keep theirs)")
        {
            tenant, idle, completed, abandoned, audit, by, json, timeout,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();
            var answer = await client.SetRetentionAsync(new SetTenantRetention(result.GetValue(tenant)!, result.GetValue(idle), result.GetValue(completed),
                result.GetValue(abandoned), result.GetValue(audit), result.GetValue(by)!), cancellationToken);
            return await ShowAsync(environment, answer, result.GetValue(json));
        });
        return command;
    }

    private static Command Show(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("show", "Show the periods a tenant's sessions live by") { tenant, json, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();
            return await ShowAsync(environment, await client.GetRetentionAsync(result.GetValue(tenant)!, cancellationToken), result.GetValue(json));
        });
        return command;
    }

    private static Command Clear(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var by = CliOptions.By();
        var json = CliOptions.Json();
        var timeout = CliOptions.Timeout(30);
        var command = new Command("clear", "Return a tenant to the product's periods") { tenant, by, json, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();
            var answer = await client.ClearRetentionAsync(new ClearTenantRetention(result.GetValue(tenant)!, result.GetValue(by)!), cancellationToken);
            return await ShowAsync(environment, answer, result.GetValue(json));
        });
        return command;
    }

    private static async Task<int> ShowAsync(CliEnvironment environment, (TenantRetentionShown? Retention, OperatorRequestRejected? Rejected) answer, bool json)
    {
        if (answer.Rejected is { } rejected)
        {
            return await CliOutput.RejectedAsync(environment, rejected, json);
        }
        var r = answer.Retention!;
        if (json)
        {
            await CliOutput.JsonAsync(environment, r);
            return ExitCodes.Ok;
        }
        await environment.Output.WriteLineAsync(r.Custom
            ? $"Tenant {r.TenantId} has periods of its own (last set {r.ChangedAt:u} by {CliOutput.Visible(r.ChangedBy ?? "")}):"
            : $"Tenant {r.TenantId} lives by the product's periods:");
        await environment.Output.WriteLineAsync($"  abandon after idle      {Days(r.AbandonAfterIdle)}");
        await environment.Output.WriteLineAsync($"  delete completed after  {Days(r.DeleteCompletedAfter)}");
        await environment.Output.WriteLineAsync($"  delete abandoned after  {Days(r.DeleteAbandonedAfter)}");
        await environment.Output.WriteLineAsync($"  delete audit after      {Days(r.DeleteAuditAfter)}");
        return ExitCodes.Ok;
    }

    private static string Days(TimeSpan period) =>
        period.Ticks % TimeSpan.TicksPerDay == 0 ? $"{period.TotalDays:0} days" : period.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>Days ("30", "30d") or a time span ("30.00:00:00"); the worker checks the bounds and answers what is wrong.</summary>
    private static Option<TimeSpan?> Period(string name, string description) => new(name)
    {
        Description = description + " (days, e.g. 30 or 30d)",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value.Trim() : "";
            var days = text.EndsWith('d') ? text[..^1] : text;
            if (int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var whole))
            {
                return TimeSpan.FromDays(whole);
            }
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
            {
                return span;
            }
            result.AddError($"{name} must be a number of days (30, 30d) or a time span (30.00:00:00), got '{text}'.");
            return null;
        },
    };
}
