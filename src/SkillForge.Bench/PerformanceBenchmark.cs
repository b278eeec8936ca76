using System.Diagnostics;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Client;
using SkillForge.Harness;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;

namespace SkillForge.Bench;

/// <summary>
/// The performance benchmark, in one run: chat turns through the real worker process against the bare echo (the
/// transport's ceiling) and the durable echo (the floor of a worker that commits before it answers), in alternating
/// rounds at 1/8/32/64 senders; append latency as conversations grow, session restore hot and cold, and the worker's
/// memory. Writes docs/performance.md and its charts (PNG).
/// </summary>
internal static class PerformanceBenchmark
{
    public const string Bare = "echo";
    public const string Durable = "durable echo";
    public const string Turns = "turns";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = BenchArgs.Int(args, "--seconds", 10);
        var rounds = BenchArgs.Int(args, "--rounds", 3);
        var senderCounts = BenchArgs.PositiveInts(args, "--senders", [1, 8, 32, 64]);
        var soakMinutes = BenchArgs.Int(args, "--soak-minutes", 10);
        var duration = TimeSpan.FromSeconds(seconds);
        using var bus = await BenchBus.StartAsync();
        await using var database = await ScratchDatabase.CreateAsync(DatabaseServer.FromEnvironment(), "sf_bench_turns");
        await using var echoes = await EchoServer.StartAsync(database);
        if (BenchArgs.Text(args, "--compare-env") is { } variant)
        {
            return await CompareAsync(bus, database, variant, senderCounts.Max(), rounds, duration);
        }

        Console.WriteLine($"1. Alternating rounds ({rounds} of {seconds} s): bare echo, durable echo, chat turns through the real worker");
        var echo = bus.Services.GetRequiredService<IRequestClient<EchoRequest>>();
        var durableEcho = bus.Services.GetRequiredService<IRequestClient<DurableEchoRequest>>();
        var results = new List<LoadRun.Result>();
        var memory = new List<(string When, double Rss, double Peak)>();
        await using (var worker = await WorkerProcess.StartAsync(18080, database.AsArguments()))
        {
            var client = ToolBus.ClientOf(bus);
            var run = Guid.NewGuid().ToString("N")[..8];
            Func<int, long, Task<bool>> BareEcho() => async (s, n) =>
                (await echo.GetResponse<EchoReply>(new EchoRequest("bench", $"echo-{s}", Guid.NewGuid(), $"Here is detail number {n} of my skill"))).Message.Reply.Length > 0;
            Func<int, long, Task<bool>> DurableEcho() => DurableEchoCall(durableEcho);
            Func<int, long, Task<bool>> ChatTurns(string conversation) => ChatTurnCall(client, $"bench-{run}", conversation);

            // Until the JIT has tiered up the hot paths of all three processes, the first round of each would be slow.
            Console.WriteLine("   warming up (not counted)");
            foreach (var (name, call) in new[] { (Bare, BareEcho()), (Durable, DurableEcho()), (Turns, ChatTurns("warm")) })
            {
                await LoadRun.RunAsync(name, 16, TimeSpan.FromSeconds(Math.Max(5, seconds)), call);
            }

            foreach (var senders in senderCounts)
            {
                // Rounds alternate the three, so drift on a shared machine (another process, a checkpoint) hits each alike.
                for (var round = 0; round < rounds; round++)
                {
                    results.Add(await LoadRun.RunAsync(Bare, senders, duration, BareEcho()));
                    results.Add(await LoadRun.RunAsync(Durable, senders, duration, DurableEcho()));
                    results.Add(await LoadRun.RunAsync(Turns, senders, duration, ChatTurns($"c{senders}-{round}")));
                }
                memory.Add(($"after {senders} senders", worker.Memory().Current, worker.Memory().Peak));
            }

            if (soakMinutes > 0)
            {
                Console.WriteLine($"2. Steady load for {soakMinutes} minutes (8 senders), sampling RSS every 30 s");
                var soakEnd = Stopwatch.GetTimestamp() + (long)(soakMinutes * 60 * Stopwatch.Frequency);
                var sampler = Task.Run(async () =>
                {
                    while (Stopwatch.GetTimestamp() < soakEnd)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(30));
                        var m = worker.Memory();
                        memory.Add(($"soak {memory.Count(x => x.When.StartsWith("soak", StringComparison.Ordinal)) * 30 + 30} s", m.Current, m.Peak));
                    }
                });
                await LoadRun.RunAsync("soak", 8, TimeSpan.FromMinutes(soakMinutes), async (s, n) =>
                    (await client.SendTurnAsync($"bench-{run}", $"soak-{s}-{n / 20}", $"Soak detail {n}")).IsReplied);
                await sampler;
            }
        }

        // The median round of each scenario by throughput stands for it, with that round's latency and CPU.
        var medians = results.GroupBy(r => (r.Scenario, r.Senders))
            .Select(g => g.OrderBy(r => r.PerSecond).ElementAt(g.Count() / 2)).ToList();
        Console.WriteLine("3. Append latency as the conversation grows; 4. restore hot and cold");
        var (growth, restore) = await MeasureStoreAsync();

        var report = PerformanceReport.Write(medians, results, growth, restore, memory, seconds, rounds, soakMinutes);
        Console.WriteLine(report);
        return 0;
    }

    /// <summary>
    /// <c>--compare-env NAME=VALUE[,NAME=VALUE]</c>: the worker as it is against the worker with those environment
    /// variables (a runtime knob), in alternating rounds at one sender count, each round's durable echo the yardstick.
    /// Each turns round starts its worker afresh and warms it up for 30 s, so neither variant inherits the other's state.
    /// </summary>
    private static async Task<int> CompareAsync(IHost bus, ScratchDatabase database, string variant, int senders, int rounds, TimeSpan duration)
    {
        var environment = variant.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var durableEcho = bus.Services.GetRequiredService<IRequestClient<DurableEchoRequest>>();
        var client = ToolBus.ClientOf(bus);
        var run = Guid.NewGuid().ToString("N")[..8];
        Console.WriteLine($"Comparing the worker as it is with the worker under {variant}: {rounds} rounds at {senders} senders");
        var rows = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var floor = await LoadRun.RunAsync(Durable, senders, duration, DurableEchoCall(durableEcho));
            var row = $"| {round + 1} | {floor.PerSecond:F0}";
            foreach (var (name, variables) in new[] { ("as it is", new Dictionary<string, string>()), (variant, environment) })
            {
                await using var worker = await WorkerProcess.StartBuildAsync("Release", 18080, database.AsArguments(), variables);
                var turns = ChatTurnCall(client, $"bench-{run}", $"v{round}-{name.Length}");
                // A fresh worker spends its first half-minute of load compiling its hot paths again at tier 1 (the
                // JIT took a fifth of its CPU then, none in steady state): measure it after that.
                await LoadRun.RunAsync($"warm-up", 16, TimeSpan.FromSeconds(30), turns);
                var result = await LoadRun.RunAsync($"{Turns}: {name}", senders, duration, turns);
                row += $" | {result.PerSecond:F0} ({result.PerSecond / floor.PerSecond:F2}×, p99 {result.P99Ms:F0} ms, worker {result.CpuMsPerRequest("worker"):F2} ms CPU)";
            }
            rows.Add(row + " |");
        }
        Console.WriteLine($"| round | durable echo/s | turns/s as it is | turns/s under {variant} |");
        Console.WriteLine("|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    /// <summary>One durable echo request a call: sender <c>s</c>'s <c>n</c>th.</summary>
    private static Func<int, long, Task<bool>> DurableEchoCall(IRequestClient<DurableEchoRequest> durableEcho) => async (s, n) =>
        (await durableEcho.GetResponse<EchoReply>(new DurableEchoRequest("bench", $"echo-{s}", Guid.NewGuid(), $"Here is detail number {n} of my skill"))).Message.Reply.Length > 0;

    /// <summary>One chat turn a call: each sender holds a conversation of 20 turns, then starts the next one.</summary>
    private static Func<int, long, Task<bool>> ChatTurnCall(SkillForgeClient client, string tenant, string conversation) => async (s, n) =>
        (await client.SendTurnAsync(tenant, $"{conversation}-{s}-{n / 20}", $"Here is detail number {n} of my skill")).IsReplied;

    private static async Task<(List<(int Messages, double P50, double P99)> Growth, List<(string Where, double P50, double P99)> Restore)> MeasureStoreAsync()
    {
        await using var database = await ScratchDatabase.CreateAsync(DatabaseServer.FromEnvironment(), "sf_bench");
        var options = Options.Create(new SessionStoreOptions());
        var store = new SessionStore(new SessionDatabase(database.App), options, NullLogger<SessionStore>.Instance);
        // Rounds interleave the sizes (one append to each per round) after a warm-up, so drift on a shared machine
        // (another process, a checkpoint) hits every size alike and the ratio between them stays fair.
        int[] sizes = [10, 100, 1_000, 5_000];
        var versions = new Dictionary<int, long>();
        var recorders = sizes.ToDictionary(size => size, _ => new LatencyRecorder());
        foreach (var size in sizes)
        {
            await SeedConversationAsync(database, GrowthKey(size), size);
            versions[size] = size / 2;
        }
        for (var round = -100; round < 1_000; round++)
        {
            foreach (var size in sizes)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await store.AppendTurnAsync(new TurnToAppend
                {
                    Key = GrowthKey(size), TurnId = Guid.NewGuid(), ExpectedVersion = versions[size]++, UserText = "one more detail",
                    Reply = "noted, thanks", PreviousState = "gathering_details", State = "gathering_details", Status = SessionStatus.Active,
                    ContextJson = """{"schema_version":1}""", At = DateTimeOffset.UtcNow,
                }, CancellationToken.None);
                if (round >= 0)
                {
                    recorders[size].Record(started);
                }
                if (result.Outcome != AppendOutcome.Appended)
                {
                    throw new InvalidOperationException($"append to the {size}-message session was {result.Outcome}");
                }
            }
        }
        var growth = new List<(int, double, double)>();
        foreach (var size in sizes)
        {
            growth.Add((size, recorders[size].PercentileMs(50), recorders[size].PercentileMs(99)));
            Console.WriteLine($"  append with {size,5} messages: p50 {recorders[size].PercentileMs(50):F2} ms  p99 {recorders[size].PercentileMs(99):F2} ms");
        }

        var restoreKey = new SessionKey("bench-restore", "thousand");
        await SeedConversationAsync(database, restoreKey, 1_000);
        using var redis = SessionsHostingExtensions.ConnectRedis(ToolEnvironment.Get("ConnectionStrings__Redis", "127.0.0.1:6379,user=skillforge-worker,password=skillforge-worker"));
        var cache = new SessionCache(redis, options, NullLogger<SessionCache>.Instance);
        var session = (await store.LoadAsync(restoreKey, CancellationToken.None))!;
        await cache.SetAsync(session);
        var hot = new LatencyRecorder();
        var cold = new LatencyRecorder();
        for (var i = -200; i < 3_000; i++)
        {
            var started = Stopwatch.GetTimestamp();
            _ = await cache.GetAsync(restoreKey) ?? throw new InvalidOperationException("cache miss in the hot restore");
            if (i >= 0)
            {
                hot.Record(started);
            }
            started = Stopwatch.GetTimestamp();
            _ = await store.LoadAsync(restoreKey, CancellationToken.None) ?? throw new InvalidOperationException("no session in the cold restore");
            if (i >= 0)
            {
                cold.Record(started);
            }
        }
        await cache.RemoveAsync(restoreKey);
        var restore = new List<(string, double, double)> { ("hot (Redis)", hot.PercentileMs(50), hot.PercentileMs(99)), ("cold (PostgreSQL)", cold.PercentileMs(50), cold.PercentileMs(99)) };
        foreach (var (where, p50, p99) in restore)
        {
            Console.WriteLine($"  restore {where}: p50 {p50:F2} ms  p99 {p99:F2} ms");
        }
        return (growth, restore);
    }

    private static SessionKey GrowthKey(int size) => new("bench-growth", $"size-{size}");

    private static async Task SeedConversationAsync(ScratchDatabase database, SessionKey key, int messages)
    {
        await using var connection = await database.Superuser.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at, last_activity_at)
            VALUES (@TenantId, @SessionId, 'gathering_details', 'active', '{"schema_version":1}', @messages / 2, @messages, now(), now(), now());
            INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
            SELECT @TenantId, @SessionId, g, gen_random_uuid(), repeat('words of a conversation ', 8), repeat('words of a conversation ', 8), now()
              FROM generate_series(1, @messages / 2) g;
            """, new { key.TenantId, key.SessionId, messages });
    }
}
