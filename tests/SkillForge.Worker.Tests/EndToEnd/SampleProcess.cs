using System.Diagnostics;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>Runs a sample (or a tool it needs) to its end: its exit code, and everything it printed for a failure's message.</summary>
internal static class SampleProcess
{
    public static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, $"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}\n{await output}\n{await errors}");
    }
}
