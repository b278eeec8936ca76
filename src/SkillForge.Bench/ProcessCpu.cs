namespace SkillForge.Bench;

/// <summary>
/// CPU time used by each part of the system (from /proc), so a run can say where the time of a request goes:
/// on a small machine every server shares the same cores, and that split is what names a bottleneck.
/// </summary>
internal static class ProcessCpu
{
    public static readonly string[] Parts = ["bench", "echo", "worker", "rabbitmq", "postgres", "redis"];

    private static readonly double TicksPerSecond = ClockTicks();

    /// <summary>CPU seconds (user + system) so far of the processes of each part; empty where /proc is absent.</summary>
    public static Dictionary<string, double> Snapshot()
    {
        var totals = Parts.ToDictionary(p => p, _ => 0.0);
        if (!Directory.Exists("/proc"))
        {
            return totals;
        }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var part = PartOf(File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '), pid);
                if (part is null)
                {
                    continue;
                }
                // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                totals[part] += (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return totals;
    }

    public static Dictionary<string, double> Since(Dictionary<string, double> before)
    {
        var now = Snapshot();
        return Parts.ToDictionary(p => p, p => Math.Max(0, now[p] - before[p]));
    }

    private static string? PartOf(string command, int pid) => command switch
    {
        _ when pid == Environment.ProcessId => "bench",
        _ when command.Contains("SkillForge.Bench", StringComparison.Ordinal) && command.Contains(EchoServer.Argument, StringComparison.Ordinal) => "echo",
        _ when command.Contains("SkillForge.Worker", StringComparison.Ordinal) => "worker",
        _ when command.Contains("beam.smp", StringComparison.Ordinal) => "rabbitmq",
        _ when command.StartsWith("postgres", StringComparison.Ordinal) || command.Contains("/bin/postgres", StringComparison.Ordinal) => "postgres",
        _ when command.Contains("redis-server", StringComparison.Ordinal) => "redis",
        _ => null,
    };

    // USER_HZ is 100 on every Linux this runs on; getconf reads it where it differs.
    private static double ClockTicks()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true });
            var text = getconf!.StandardOutput.ReadToEnd();
            getconf.WaitForExit();
            return double.TryParse(text.Trim(), out var hz) && hz > 0 ? hz : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
