using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Harness;

namespace SkillForge.Bench;

/// <summary>
/// One session floods the worker while another tenant sends a single turn; the model answers every call in one second.
/// Reports the single turn's latency during the flood as a ratio of its latency alone, measured in alternating rounds
/// against the same worker process, for the shipped bound on waiting turns and with the bound lifted (the behaviour
/// before it existed).
/// </summary>
internal static class FairnessBenchmark
{
    private const int FloodTurns = 40;
    private const int Rounds = 3;
    private static readonly TimeSpan ModelDelay = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(string[] args)
    {
        using var model = SlowModel.Start(ModelDelay);
        var report = new StringBuilder()
            .AppendLine($"## Fairness ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)")
            .AppendLine()
            .AppendLine($"A model endpoint that answers every call in {ModelDelay.TotalSeconds:0} s (an OpenAI-compatible server in the benchmark " +
                        $"process); one session sends {FloodTurns} turns at once, then another tenant sends one turn. Its latency during the flood " +
                        $"against alone, median of {Rounds} alternating rounds each, one worker process with the shipped settings otherwise.")
            .AppendLine()
            .AppendLine("| worker setting | alone (median) | during the flood (median) | ratio | flood answered | flood `session_busy` |")
            .AppendLine("|---|---|---|---|---|---|");
        var met = true;
        foreach (var (label, setting) in new[] { ("shipped (`MaxTurnsWaitingPerSession` 8)", (string?)null), ("bound lifted (1,000)", "--Worker:MaxTurnsWaitingPerSession=1000") })
        {
            string[] settings = [$"--Agent:Llm:Endpoint={model.Endpoint}", "--Agent:Llm:Model=bench-model", "--Agent:Llm:Timeout=00:01:00",
                .. setting is null ? Array.Empty<string>() : [setting]];
            await using var worker = await WorkerProcess.StartAsync(18082, settings);
            using var bus = await BenchBus.StartAsync();
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
            await TimeOneAsync(client); // warm-up: connections, JIT, the model client
            var (alone, during) = (new List<double>(), new List<double>());
            var (replied, busy) = (0, 0);
            for (var round = 0; round < Rounds; round++)
            {
                alone.Add(await TimeOneAsync(client));
                var session = $"flood-{Guid.NewGuid():N}"[..24];
                var flood = Enumerable.Range(0, FloodTurns)
                    .Select(i => client.SendTurnAsync("bench-flood", session, $"I want a skill that formats SQL, detail {i}")).ToList();
                await Task.Delay(200); // the flood is in the worker's queue first
                during.Add(await TimeOneAsync(client));
                var results = await Task.WhenAll(flood.Select(async t =>
                {
                    try
                    {
                        return (await t).Rejected?.Code ?? "replied";
                    }
                    catch (MassTransit.RequestTimeoutException)
                    {
                        return "timeout";
                    }
                }));
                replied += results.Count(r => r == "replied");
                busy += results.Count(r => r == "session_busy");
            }
            var ratio = Median(during) / Median(alone);
            met &= setting is not null || ratio <= 1.5;
            report.AppendLine($"| {label} | {Median(alone):F2} s | {Median(during):F2} s | {ratio:F2}× | {replied} | {busy} |");
            Console.WriteLine($"{label}: alone {Median(alone):F2} s, during the flood {Median(during):F2} s ({ratio:F2}×); flood replied {replied}, session_busy {busy}");
            await bus.StopAsync();
        }
        report.AppendLine().AppendLine($"Goal: the shipped setting within 1.5× — {(met ? "met" : "missed")}.");
        var docs = Path.Combine(RepositoryRoot.Path, "docs");
        await File.WriteAllTextAsync(Path.Combine(docs, "fairness.md"), $"# Fairness between sessions\n\n`ops/dev.sh bench fairness`.\n\n{report}");
        Console.WriteLine(report);
        return met ? 0 : 1;
    }

    private static async Task<double> TimeOneAsync(SkillForgeClient client)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await client.SendTurnAsync($"bench-other-{Guid.NewGuid():N}"[..24], "s", "I want a skill that reviews SQL migrations");
        if (!result.IsReplied)
        {
            throw new InvalidOperationException($"The other tenant's turn was answered {result.Rejected!.Code}: {result.Rejected.Reason}");
        }
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>An OpenAI-compatible chat-completions endpoint on loopback that answers every call after a fixed delay.</summary>
    private sealed class SlowModel : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();

        public string Endpoint { get; private init; } = "";

        public static SlowModel Start(TimeSpan delay)
        {
            var port = 18090;
            var model = new SlowModel { Endpoint = $"http://127.0.0.1:{port}/v1" };
            model._listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            model._listener.Start();
            _ = model.ServeAsync(delay);
            return model;
        }

        private async Task ServeAsync(TimeSpan delay)
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                _ = AnswerAsync(context, delay);
            }
        }

        private static async Task AnswerAsync(HttpListenerContext context, TimeSpan delay)
        {
            await Task.Delay(delay);
            var answer = JsonSerializer.Serialize(new
            {
                reply = "Got it. What should we call the skill?",
                next_state = "gathering_details",
                question = "What should we call the skill?",
                fields = new { purpose = "format SQL" },
            });
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                id = "chatcmpl-bench",
                @object = "chat.completion",
                created = 1_700_000_000,
                model = "bench-model",
                choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 1, completion_tokens = 1, total_tokens = 2 },
            });
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
        }
    }
}
