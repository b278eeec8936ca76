using System.CommandLine;

namespace SkillForge.Cli.Commands;

/// <summary>Options several commands share, so they read the same everywhere.</summary>
internal static class CliOptions
{
    public static Option<string> Tenant() => new("--tenant", "-t") { Description = "Tenant id", Required = true };

    public static Option<string> Session(bool required = true) => new("--session", "-s") { Description = "Session id", Required = required };

    public static Option<string?> User() => new("--user", "-u") { Description = "User id (as the upstream service names its user)" };

    /// <summary>A command validator: exactly one of two options (a session or a user, say) must be given.</summary>
    public static void ExactlyOne<TA, TB>(System.CommandLine.Parsing.CommandResult result, Option<TA> a, Option<TB> b)
    {
        var (hasA, hasB) = (result.GetResult(a) is { Implicit: false }, result.GetResult(b) is { Implicit: false });
        if (hasA == hasB)
        {
            result.AddError($"Give exactly one of {a.Name} and {b.Name}.");
        }
    }

    /// <summary>Who acts, as the audit names them beside the broker user; the login name unless given.</summary>
    public static Option<string> By() => new("--by")
    {
        Description = "Who asks for it (default: your login name)",
        DefaultValueFactory = _ => Environment.UserName,
    };

    public static Option<bool> Json() => new("--json") { Description = "Machine-readable JSON output" };

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation" };

    /// <summary>Seconds ("30") or a time span ("00:01:30"); a bare number is never read as days.</summary>
    public static Option<TimeSpan> Timeout(int seconds) => new("--timeout")
    {
        Description = "How long to wait for the worker, in seconds (1–600)",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(seconds),
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            var value = int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var whole)
                ? TimeSpan.FromSeconds(whole)
                : TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) ? span : TimeSpan.Zero;
            if (value < TimeSpan.FromSeconds(1) || value > TimeSpan.FromMinutes(10))
            {
                result.AddError($"--timeout must be 1 to 600 seconds, got '{text}'.");
            }
            return value;
        },
    };

    /// <summary>Asks a yes/no question on the command's input; anything but y/yes is no.</summary>
    public static async Task<bool> ConfirmAsync(CliEnvironment environment, string question)
    {
        await environment.Output.WriteAsync($"{question} [y/N] ");
        var answer = (await environment.Input.ReadLineAsync())?.Trim();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
