using System.Text.Json;
using SkillForge.Contracts.Operations;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>Tables for people (Spectre.Console, written to the command's output) and JSON for scripts.</summary>
internal static class CliOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Width of tables written to a pipe, a file or a test's writer, where there is no terminal to measure.</summary>
    private const int RedirectedWidth = 160;

    public static IAnsiConsole Console(CliEnvironment environment)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(environment.Output),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (environment.Output != System.Console.Out || System.Console.IsOutputRedirected)
        {
            // Spectre would otherwise guess a width (often 80 or less) and wrap every cell of a table.
            console.Profile.Width = RedirectedWidth;
        }
        return console;
    }

    /// <summary>
    /// Runs <paramref name="work"/> under a live display (a spinner or progress bar) when a person watches a terminal;
    /// with JSON, a pipe or a test's writer it simply runs, so scripts see nothing but the result.
    /// </summary>
    public static Task<T> LiveAsync<T>(CliEnvironment environment, bool json, Func<IAnsiConsole, Task<T>> live, Func<Task<T>> plain)
    {
        if (json || environment.Output != System.Console.Out || System.Console.IsOutputRedirected)
        {
            return plain();
        }
        return live(AnsiConsole.Console);
    }

    /// <summary>
    /// Stored text as a terminal should show it: control characters (ESC, CR, BEL, …) and bidirectional overrides
    /// become visible escapes such as <c>\x1B</c>, so a message cannot move the cursor, recolour or rewrite the
    /// operator's screen. Line breaks and tabs stay. JSON output needs none of this: the serializer escapes them.
    /// </summary>
    public static string Visible(string text)
    {
        if (!text.Any(Hidden))
        {
            return text;
        }
        var visible = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            visible.Append(!Hidden(c) ? c.ToString() : c <= '\u00FF' ? $"\\x{(int)c:X2}" : $"\\u{(int)c:X4}");
        }
        return visible.ToString();
    }

    private static bool Hidden(char c) =>
        c is not ('\n' or '\t') && (char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'));

    public static Task JsonAsync<T>(CliEnvironment environment, T value) =>
        environment.Output.WriteLineAsync(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>An operator request the worker refused for bad input: its code and reason, as text or JSON; exit 1.</summary>
    public static async Task<int> RejectedAsync(CliEnvironment environment, OperatorRequestRejected rejected, bool json)
    {
        if (json)
        {
            await JsonAsync(environment, rejected);
        }
        else
        {
            await environment.Output.WriteLineAsync($"Rejected ({rejected.Code}): {rejected.Reason}");
        }
        return ExitCodes.RejectedOrNotFound;
    }
}
