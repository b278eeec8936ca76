using System.Text.Json;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>Tables for people (Spectre.Console, written to the command's output) and JSON for scripts.</summary>
internal static class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IAnsiConsole Console(CliEnvironment environment) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(environment.Output),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.No,
    });

    public static Task JsonAsync<T>(CliEnvironment environment, T value) =>
        environment.Output.WriteLineAsync(JsonSerializer.Serialize(value, JsonOptions));
}
