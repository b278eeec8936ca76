using System.Diagnostics;
using SkillForge.Harness;

namespace SkillForge.Chaos;

/// <summary>A turn that hangs: the bound, and what is kept of the stuck worker for a person.</summary>
internal static partial class ChaosSuite
{
    /// <summary>
    /// Longer than a turn started just before the run's end can take: the client's 3 attempts of 30 s request timeout
    /// plus 5 s send grace each (SkillForgeClientOptions' defaults, 105 s), with room to spare.
    /// </summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Where a hung turn or consume waits, into .data/logs when <c>dotnet-dump</c> is installed: a dump of process
    /// <paramref name="pid"/> and its async state machines (<c>dumpasync</c>; an awaiting call is on no thread's stack).
    /// </summary>
    private static async Task DumpAsync(string name, int pid)
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-dump");
        if (!File.Exists(tool))
        {
            Console.WriteLine("     (no dump: dotnet-dump is not installed; `dotnet tool install -g dotnet-dump`)");
            return;
        }
        var stem = Path.Combine(RepositoryRoot.Path, ".data", "logs", $"chaos-hang-{name}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        await RunToolAsync(tool, ["collect", "-p", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--type", "Heap", "-o", stem + ".dmp"], null);
        await RunToolAsync(tool, ["analyze", stem + ".dmp", "-c", "dumpasync", "-c", "exit"], stem + ".txt");
        Console.WriteLine($"     dump {stem}.dmp, its async stacks {stem}.txt");
    }

    /// <summary>Runs a program to its end, its output read (into <paramref name="outputFile"/> when given); its exit code.</summary>
    private static async Task<int> RunToolAsync(string tool, string[] arguments, string? outputFile)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (outputFile is not null)
        {
            await File.WriteAllTextAsync(outputFile, await output);
        }
        return process.ExitCode;
    }

    /// <summary>
    /// The worker side of a hung send: a consume that never ends (its reply's publish waiting for a confirmation
    /// that never comes) holds one of the endpoint's concurrent-message slots for good, while the worker still looks
    /// healthy. Once the load has stopped, every live worker's MassTransit <c>consume_active</c> must drain to 0;
    /// a consume still running a minute later is reported (and the worker dumped, as <see cref="DumpAsync"/> does).
    /// </summary>
    private static async Task<string> StuckConsumesAsync(string scenario, List<WorkerProcess> workers)
    {
        var stuck = new List<string>();
        foreach (var worker in workers.Where(w => !w.HasExited))
        {
            var active = 0L;
            for (var waited = 0; waited < 60; waited++)
            {
                active = await MetricSumAsync(worker.Port, "messaging_masstransit_consume_active", null);
                if (active == 0)
                {
                    break;
                }
                await Task.Delay(1000);
            }
            if (active > 0)
            {
                stuck.Add($"worker :{worker.Port}: {active} consume(s) still running a minute after the load");
                await DumpAsync($"{scenario}-worker-{worker.Port}", worker.Id);
            }
        }
        foreach (var line in stuck)
        {
            Console.WriteLine($"   {line}");
        }
        return string.Join("; ", stuck);
    }
}
