using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Client;
using SkillForge.Harness;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Retention;
using SkillForge.Sessions.Storage;

namespace SkillForge.Bench;

/// <summary>
/// The cleanup benchmark: seed expired sessions (default 100,000 with 10 messages each), purge them with the real
/// <see cref="CleanupRun"/> (evicting each batch from Redis as the cleanup consumer does) while 8 writers keep doing
/// what a chat turn does to PostgreSQL (load the session, append a turn), and compare the writers' p99 during the purge with their p99 just before it, in the same run; a few
/// rounds (<c>--rounds</c>, default 5) at each chat load (<c>--turn-rates</c>, default 250 and 1,000 turns/s).
/// With <c>--through-worker</c> the whole product instead: the writers send chat turns through the real worker
/// process (RabbitMQ, the agent, Redis, PostgreSQL) and its own cleanup consumer purges, on one machine. The parts
/// live beside this file by job: the seed, the server probes, the chat drivers and their pacer, the purges, the report.
/// </summary>
internal static partial class CleanupBenchmark
{
    private const int Writers = 8;
    private static readonly TimeSpan WarmUpDuration = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan BaselineDuration = TimeSpan.FromSeconds(15);

    // About as long as a purge of 100,000 sessions takes here.
    private static readonly TimeSpan BusyCoreDuration = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = BenchArgs.Int(args, "--sessions", 100_000);
        var perSession = BenchArgs.Int(args, "--messages-per-session", 10);
        var policy = new RetentionPolicy
        {
            BatchSize = BenchArgs.Int(args, "--batch", new RetentionPolicy().BatchSize),
            PauseBetweenBatches = TimeSpan.FromMilliseconds(BenchArgs.Int(args, "--pause-ms", (int)new RetentionPolicy().PauseBetweenBatches.TotalMilliseconds)),
            Pacing = args.Contains("--fixed-pace") ? PurgePacing.Fixed : PurgePacing.Adaptive,
        };
        var rounds = BenchArgs.Int(args, "--rounds", 5);
        var window = TimeSpan.FromSeconds(BenchArgs.Int(args, "--purge-window", 120));
        var turnRates = BenchArgs.PositiveInts(args, "--turn-rates", [250, 1_000]);
        await using var database = await ScratchDatabase.CreateAsync(DatabaseServer.FromEnvironment(), "sf_bench");
        // One record of chat's turns for the writers and the purge, as in the worker: the purge paces itself by it.
        var chatLatencies = new ChatLatencies();
        var store = new SessionStore(new SessionDatabase(database.App), Options.Create(new SessionStoreOptions()), NullLogger<SessionStore>.Instance);
        var run = new CleanupRun(new MaintenanceDatabase(database.Maintenance), Options.Create(policy), chatLatencies, TimeProvider.System,
            NullLogger<CleanupRun>.Instance);
        using var redis = SessionsHostingExtensions.ConnectRedis(ToolEnvironment.Get("ConnectionStrings__Redis", "127.0.0.1:6379,user=skillforge-worker,password=skillforge-worker"));
        var cache = new SessionCache(redis, Options.Create(new SessionStoreOptions()), NullLogger<SessionCache>.Instance);

        // --through-worker: turns as users send them (the typed client, the broker, the worker's consumer and agent,
        // its Redis and PostgreSQL) and the purge by the worker's cleanup consumer, with the worker's default policy.
        var throughWorker = args.Contains("--through-worker");
        await using var worker = throughWorker
            ? await WorkerProcess.StartAsync(18081,
                $"--ConnectionStrings:Postgres={database.AppConnectionString}", $"--ConnectionStrings:PostgresMaintenance={database.MaintenanceConnectionString}",
                $"--ConnectionStrings:PostgresAdmin={database.AdminConnectionString}")
            : null;
        using var bus = throughWorker ? await BenchBus.StartAsync() : null;
        var workerCleanup = bus is null ? null : await WorkerCleanup.ListenAsync(bus);
        Chat chat = bus is null ? StoreChat(store, chatLatencies) : WorkerChat(bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>());
        Func<Task<PurgeOutcome>> purgeAll = workerCleanup is null ? () => PurgeInProcessAsync(run, cache, policy, window) : workerCleanup.PurgeAsync;
        if (throughWorker && (args.Contains("--batch") || args.Contains("--pause-ms") || args.Contains("--fixed-pace")))
        {
            Console.WriteLine("  --through-worker: the worker purges with its own configuration (batch and pacing defaults); --batch, --pause-ms and --fixed-pace are not passed on");
        }

        // Each round seeds afresh, measures the writers alone, then during a purge, with the writers paced at one of
        // --turn-rates. A round's figures move a lot on a shared 2-core machine, so each rate is judged on the
        // median purge rate and on the p99 of all its rounds' turns.
        var results = new List<Round>();
        var number = 0;
        if (throughWorker)
        {
            // A worker process just started: JIT, pools, the broker's channels (a first round measured its baseline
            // p99 at 0.8-1.7 s without this).
            await chat("warm-up", Task.Delay(TimeSpan.FromSeconds(20)), turnRates[0]);
        }
        foreach (var rate in turnRates)
        {
            for (var i = 0; i < rounds; i++)
            {
                number++;
                Console.WriteLine($"Round {number}/{rounds * turnRates.Count} ({rate:N0} turns/s): seeding {sessions:N0} expired sessions with {perSession} messages each...");
                var seedStarted = Stopwatch.GetTimestamp();
                await SeedExpiredAsync(database, sessions, perSession);
                Console.WriteLine($"  seeded in {Stopwatch.GetElapsedTime(seedStarted).TotalSeconds:F1} s");

                // Warm-up, not counted: the first turns of a process pay for JIT compilation, pool connections and
                // prepared statements (the first round's p99 was 20× the others' without it).
                await chat("warm-up", Task.Delay(WarmUpDuration), rate);
                // The control: the same writers while one PostgreSQL backend does nothing but arithmetic (no I/O, no
                // WAL, no lock) — what one busy core of the two costs the writers' p99, whatever keeps it busy. Before
                // the baseline, which is what chat was paying just before the purge, as the pace takes it too.
                var busyCore = await chat("busy-core", BusyCoreAsync(database, BusyCoreDuration), rate);
                var baselineStarted = StolenCpu.Now();
                var baseline = await WithAutovacuumWatchAsync(database, "baseline",
                    () => chat("baseline", Task.Delay(BaselineDuration), rate));
                var stolenAlone = StolenCpu.Now().PercentSince(baselineStarted);
                var walBefore = await WalPositionAsync(database);
                var stealBefore = StolenCpu.Now();
                var purgeStarted = Stopwatch.GetTimestamp();
                var purge = purgeAll();
                var during = await WithAutovacuumWatchAsync(database, "purge", () => chat("during", purge, rate));
                var report = await purge;
                var stolenDuring = StolenCpu.Now().PercentSince(stealBefore);
                // All the WAL written meanwhile, the writers' too (theirs is a few MB): what every commit waits to flush.
                var walMegabytes = (await WalPositionAsync(database) - walBefore) / 1048576.0;
                var result = new Round(number, rate, Stopwatch.GetElapsedTime(purgeStarted).TotalSeconds, report.Sessions, report.Messages, baseline, busyCore, during,
                    stolenAlone, stolenDuring, report.Pace, report.Stopped);
                if (report.Stopped)
                {
                    await ClearSeedAsync(database); // the next round seeds afresh
                }
                results.Add(result);
                Console.WriteLine($"  {result.Row}");
                Console.WriteLine($"  {report.Breakdown}; {walMegabytes:N0} MB of WAL written");
                if (report.Pace.Length > 0)
                {
                    Console.WriteLine($"  pace: {report.Pace}");
                }
            }
        }

        await WriteReportAsync(results, throughWorker, sessions, perSession, rounds, turnRates, policy, window);
        return results.All(r => r.Sessions == sessions || r.Stopped) ? 0 : 1;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <param name="StolenAlone">The machine's CPU stolen by its host during the baseline, in percent (<see cref="StolenCpu"/>).</param>
    /// <param name="StolenDuring">The same during the purge.</param>
    /// <param name="BusyCore">The writers while one backend kept a core busy with arithmetic (the control).</param>
    /// <param name="Pace">How the purge paced itself (in-process runs only; empty through the worker).</param>
    /// <param name="Stopped">The purge was stopped at the window before its end (<see cref="Messages"/> is then not counted).</param>
    private sealed record Round(int Number, int TurnRate, double PurgeSeconds, int Sessions, long Messages, LatencyRecorder Baseline, LatencyRecorder BusyCore,
        LatencyRecorder During, double StolenAlone, double StolenDuring, string Pace, bool Stopped)
    {
        public double SessionsPerSecond => Sessions / PurgeSeconds;

        public double Ratio => During.PercentileMs(99) / Baseline.PercentileMs(99);

        public double BusyCoreRatio => BusyCore.PercentileMs(99) / Baseline.PercentileMs(99);

        public string Row =>
            $"| {Number} | {TurnRate:N0} turns/s | {PurgeSeconds:F1} s{(Stopped ? " (stopped)" : "")} | {SessionsPerSecond:N0} | " +
            $"{(Stopped ? "—" : (Messages / PurgeSeconds).ToString("N0"))} | " +
            $"{Baseline.PercentileMs(50):F2} / {Baseline.PercentileMs(99):F2} ms ({Baseline.Count:N0}) | {BusyCore.PercentileMs(99):F2} ms ({BusyCore.Count:N0}) | " +
            $"{During.PercentileMs(50):F2} / {During.PercentileMs(99):F2} ms ({During.Count:N0}) | {Ratio:F2}× | {BusyCoreRatio:F2}× | " +
            $"{StolenAlone:F1} / {StolenDuring:F1} % |";
    }
}
