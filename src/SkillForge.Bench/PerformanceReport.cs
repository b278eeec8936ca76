using System.Runtime.InteropServices;
using System.Text;
using SkillForge.Harness;

namespace SkillForge.Bench;

/// <summary>Writes docs/performance.md (figures against the performance goals) and its two PNG charts.</summary>
internal static class PerformanceReport
{
    /// <param name="medians">The median round of each scenario and sender count.</param>
    /// <param name="all">Every round, in the order run.</param>
    public static string Write(List<LoadRun.Result> medians, List<LoadRun.Result> all,
        List<(int Messages, double P50, double P99)> growth, List<(string Where, double P50, double P99)> restore,
        List<(string When, double Rss, double Peak)> memory, int seconds, int rounds, int soakMinutes)
    {
        var docs = Path.Combine(RepositoryRoot.Path, "docs");
        Directory.CreateDirectory(docs);
        LoadRun.Result At(string scenario, int senders) => medians.Single(r => r.Scenario == scenario && r.Senders == senders);
        var senderCounts = medians.Select(r => r.Senders).Distinct().Order().ToList();
        var goalSenders = senderCounts.Contains(32) ? 32 : senderCounts.Max();
        var durable = At(PerformanceBenchmark.Durable, goalSenders);
        var turns = At(PerformanceBenchmark.Turns, goalSenders);
        var g10 = growth.Single(g => g.Messages == 10);
        var g5000 = growth.Single(g => g.Messages == 5_000);

        var md = new StringBuilder();
        md.AppendLine("# Performance").AppendLine()
          .AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `ops/dev.sh bench turns` on {Environment.ProcessorCount} cores, " +
                      $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; " +
                      $"RabbitMQ 3.10 (quorum queues, publisher confirms on), PostgreSQL 15 (fsync and synchronous_commit on), Redis 7 (appendfsync everysec). " +
                      $"The echoes and the worker use prefetch {BenchBus.PrefetchCount} and {BenchBus.ConcurrentMessageLimit} concurrent messages, each in a process " +
                      $"of its own; the senders are a third. {rounds} rounds of {seconds} s alternate bare echo, durable echo and chat turns at each sender count; " +
                      "a scenario's figures are its median round by throughput. These machines are shared: compare the ratios, not the absolute figures.")
          .AppendLine().AppendLine("The **durable echo** is the yardstick: the same consumer shape and broker settings as the worker, and one committed " +
                                   "(fsynced) PostgreSQL insert before the answer. No worker that keeps every answered turn can beat it; the bare echo, " +
                                   "which commits nothing, is the transport's ceiling.")
          .AppendLine().AppendLine("![throughput](performance-throughput.png) ![latency](performance-latency.png)").AppendLine()
          .AppendLine("## Goals").AppendLine()
          .AppendLine("| goal | measured | met |").AppendLine("|---|---|---|")
          .AppendLine(Goal($"turns/s at {goalSenders} senders ≥ 0.8× the durable echo", $"{turns.PerSecond / durable.PerSecond:F2}×", turns.PerSecond >= 0.8 * durable.PerSecond))
          .AppendLine(Goal($"p99 at {goalSenders} senders ≤ 1.5× the durable echo's", $"{turns.P99Ms / durable.P99Ms:F2}×", turns.P99Ms <= 1.5 * durable.P99Ms))
          .AppendLine(Goal("append p99 with 5,000 messages ≤ 1.2× with 10", $"{g5000.P99 / g10.P99:F2}×", g5000.P99 <= 1.2 * g10.P99))
          .AppendLine(Goal("hot restore p99 < 2 ms", $"{restore[0].P99:F2} ms", restore[0].P99 < 2))
          .AppendLine(Goal("cold restore p99 < 10 ms", $"{restore[1].P99:F2} ms", restore[1].P99 < 10))
          .AppendLine().AppendLine("## Chat turns against the echoes").AppendLine()
          .AppendLine("| senders | bare echo/s | durable echo/s | turns/s | turns ÷ durable | turns ÷ bare | p99 ms durable | p99 ms turns | p99 turns ÷ durable |")
          .AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var n in senderCounts)
        {
            var (b, d, t) = (At(PerformanceBenchmark.Bare, n), At(PerformanceBenchmark.Durable, n), At(PerformanceBenchmark.Turns, n));
            md.AppendLine($"| {n} | {b.PerSecond:F0} | {d.PerSecond:F0} | {t.PerSecond:F0} | {t.PerSecond / d.PerSecond:F2}× | {t.PerSecond / b.PerSecond:F2}× | " +
                          $"{d.P99Ms:F2} | {t.P99Ms:F2} | {t.P99Ms / d.P99Ms:F2}× |");
        }
        md.AppendLine().AppendLine("## Every round").AppendLine()
          .AppendLine("| scenario | senders | per second | p50 ms | p99 ms | requests | errors |").AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in all)
        {
            md.AppendLine($"| {r.Scenario} | {r.Senders} | {r.PerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.Count:N0} | {r.Errors} |");
        }
        md.AppendLine().AppendLine("## Where the CPU goes (ms of CPU per request, by process; median rounds)").AppendLine()
          .AppendLine("Every server runs on the same cores here; \"busy\" is the share of all cores the whole system used during the round. " +
                      "\"bench\" is the senders, \"echo\" the echoes' process.")
          .AppendLine()
          .AppendLine($"| scenario | senders | busy | {string.Join(" | ", ProcessCpu.Parts)} | total |")
          .AppendLine($"|---|---|---|{string.Concat(ProcessCpu.Parts.Select(_ => "---|"))}---|");
        foreach (var r in medians.OrderBy(r => r.Senders))
        {
            md.AppendLine($"| {r.Scenario} | {r.Senders} | {r.MachineBusy:P0} | {string.Join(" | ", ProcessCpu.Parts.Select(p => r.CpuMsPerRequest(p).ToString("F2")))} | " +
                          $"{ProcessCpu.Parts.Sum(r.CpuMsPerRequest):F2} |");
        }
        md.AppendLine().AppendLine("## Append latency as the conversation grows").AppendLine()
          .AppendLine("| messages in the session | p50 ms | p99 ms |").AppendLine("|---|---|---|");
        foreach (var g in growth)
        {
            md.AppendLine($"| {g.Messages:N0} | {g.P50:F2} | {g.P99:F2} |");
        }
        md.AppendLine().AppendLine("## Restoring a 1,000-message session").AppendLine()
          .AppendLine("| from | p50 ms | p99 ms |").AppendLine("|---|---|---|");
        foreach (var r in restore)
        {
            md.AppendLine($"| {r.Where} | {r.P50:F2} | {r.P99:F2} |");
        }
        md.AppendLine().AppendLine($"## Worker memory (RSS; soak: {soakMinutes} min at 8 senders)").AppendLine()
          .AppendLine("| when | RSS MiB | peak MiB |").AppendLine("|---|---|---|");
        foreach (var m in memory)
        {
            md.AppendLine($"| {m.When} | {m.Rss:F0} | {m.Peak:F0} |");
        }
        var notes = Path.Combine(docs, "performance-notes.md");
        if (File.Exists(notes))
        {
            md.AppendLine().Append(File.ReadAllText(notes));
        }
        File.WriteAllText(Path.Combine(docs, "performance.md"), md.ToString());
        Chart(docs, senderCounts, medians);
        return md.ToString();
    }

    private static string Goal(string goal, string measured, bool met) => $"| {goal} | {measured} | {(met ? "yes" : "**no**")} |";

    private static void Chart(string docs, List<int> senderCounts, List<LoadRun.Result> medians)
    {
        double[] xs = [.. senderCounts.Select(n => (double)n)];
        double[] Of(string scenario, Func<LoadRun.Result, double> value) =>
            [.. senderCounts.Select(n => value(medians.Single(r => r.Scenario == scenario && r.Senders == n)))];
        var throughput = new ScottPlot.Plot();
        Series(throughput, xs, Of(PerformanceBenchmark.Bare, r => r.PerSecond), "bare echo (ceiling)");
        Series(throughput, xs, Of(PerformanceBenchmark.Durable, r => r.PerSecond), "durable echo (floor)");
        Series(throughput, xs, Of(PerformanceBenchmark.Turns, r => r.PerSecond), "chat turns (worker)");
        throughput.Title("Throughput (requests/s)");
        throughput.XLabel("concurrent senders");
        throughput.SavePng(Path.Combine(docs, "performance-throughput.png"), 600, 400);

        var latency = new ScottPlot.Plot();
        Series(latency, xs, Of(PerformanceBenchmark.Durable, r => r.P99Ms), "durable echo p99");
        Series(latency, xs, Of(PerformanceBenchmark.Turns, r => r.P99Ms), "chat turns p99");
        Series(latency, xs, Of(PerformanceBenchmark.Turns, r => r.P50Ms), "chat turns p50");
        latency.Title("Latency (ms)");
        latency.XLabel("concurrent senders");
        latency.SavePng(Path.Combine(docs, "performance-latency.png"), 600, 400);
    }

    private static void Series(ScottPlot.Plot plot, double[] xs, double[] ys, string label)
    {
        var scatter = plot.Add.Scatter(xs, ys);
        scatter.LegendText = label;
        plot.ShowLegend();
    }
}
