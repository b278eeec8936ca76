using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Sessions;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Retention;

namespace SkillForge.Bench;

/// <summary>
/// Issue 5's benchmark: seed expired sessions (default 100,000 with 10 messages each), purge them with the real
/// <see cref="CleanupRun"/> (evicting each batch from Redis as the cleanup consumer does) while 8 writers keep doing
/// what a chat turn does to PostgreSQL (load the session, append a turn), and compare the writers' p99 while the purge
/// works with their p99 while it does not. The two are interleaved in the same seconds: the purge works for
/// <c>--on-ms</c> (1,000), then is held for <c>--off-ms</c> (1,500), and so on until it is done, so whatever else the
/// machine does in those seconds falls on both sides alike. A few rounds (<c>--rounds</c>, default 5) at each chat
/// load (<c>--turn-rates</c>, default 250 and 1,000 turns/s).
/// </summary>
internal static class CleanupBenchmark
{
    private const int Writers = 8;
    private static readonly TimeSpan WarmUpDuration = TimeSpan.FromSeconds(3);

    // Turns due this soon after the purge starts working are counted on neither side; nor are those due this soon
    // after it stops, the time chat needs to catch up with the turns the purge delayed (at 1,000 turns/s, with
    // 50 ms, the backlog spilled into the rest and made "alone" look as slow as "during").
    private static readonly TimeSpan StartGuard = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StopGuard = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = BenchArgs.Int(args, "--sessions", 100_000);
        var perSession = BenchArgs.Int(args, "--messages-per-session", 10);
        var policy = new RetentionPolicy
        {
            BatchSize = BenchArgs.Int(args, "--batch", new RetentionPolicy().BatchSize),
            PauseBetweenBatches = TimeSpan.FromMilliseconds(BenchArgs.Int(args, "--pause-ms", (int)new RetentionPolicy().PauseBetweenBatches.TotalMilliseconds)),
        };
        var on = TimeSpan.FromMilliseconds(BenchArgs.Int(args, "--on-ms", 1_000));
        var off = TimeSpan.FromMilliseconds(BenchArgs.Int(args, "--off-ms", 1_500));
        var rounds = BenchArgs.Int(args, "--rounds", 5);
        var turnRates = BenchArgs.PositiveInts(args, "--turn-rates", [250, 1_000]);
        await using var database = await BenchDatabase.CreateAsync();
        var store = new SessionStore(new SessionDatabase(database.App), Options.Create(new SessionStoreOptions()), NullLogger<SessionStore>.Instance);
        var run = new CleanupRun(new MaintenanceDatabase(database.Admin), Options.Create(policy), NullLogger<CleanupRun>.Instance);
        using var redis = SessionsHostingExtensions.ConnectRedis(BenchBus.Env("ConnectionStrings__Redis", "127.0.0.1:6379"));
        var cache = new SessionCache(redis, Options.Create(new SessionStoreOptions()), NullLogger<SessionCache>.Instance);

        async Task<CleanupReport> PurgeAsync(PurgeWindows windows)
        {
            try
            {
                return await run.RunAsync(DateTimeOffset.UtcNow, dryRun: false, async keys =>
                {
                    var evicting = Stopwatch.GetTimestamp();
                    await cache.RemoveManyAsync(keys);
                    windows.Evicted(Stopwatch.GetElapsedTime(evicting));
                    await windows.AfterBatchAsync();
                }, CancellationToken.None);
            }
            finally
            {
                windows.Finish();
            }
        }

        var results = new List<Round>();
        var number = 0;
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
                await MeasureTurnsAsync(store, "warm-up", until: Task.Delay(WarmUpDuration), rate, _ => null);
                var windows = new PurgeWindows(on, off);
                var alone = new LatencyRecorder();
                var during = new LatencyRecorder();
                var purge = PurgeAsync(windows);
                await MeasureTurnsAsync(store, "measured", until: purge, rate, due => windows.IsWorkingAt(due) switch
                {
                    true => during,
                    false => alone,
                    null => null,
                });
                var report = await purge;
                var result = new Round(number, rate, windows.Working.TotalSeconds, windows.Cycles, report.DeletedSessions, report.DeletedMessages, alone, during);
                results.Add(result);
                var pauses = policy.PauseBetweenBatches * windows.Batches;
                Console.WriteLine($"  {result.Row}");
                Console.WriteLine($"  working time: {windows.Batches} batches; PostgreSQL {(windows.Working - windows.Evicting - pauses).TotalSeconds:F2} s, " +
                    $"Redis eviction {windows.Evicting.TotalSeconds:F2} s, pauses {pauses.TotalSeconds:F2} s");
            }
        }

        var lines = new List<string>
        {
            $"## Cleanup benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)",
            "",
            $"Each round seeds {sessions:N0} expired completed sessions with {(long)sessions * perSession:N0} messages (one row a turn, " +
            "migration 0005; then VACUUM and CHECKPOINT, like data that has sat for months), warms up, then lets the real " +
            "`CleanupRun` purge everything, evicting each batch from Redis as the cleanup consumer does, while " +
            $"{Writers} turn writers do what a chat turn does to PostgreSQL (load the session, append a turn). Batch size " +
            $"{policy.BatchSize:N0}, pause between batches {policy.PauseBetweenBatches.TotalMilliseconds:F0} ms. The purge works " +
            $"for {on.TotalMilliseconds:N0} ms, is held for {off.TotalMilliseconds:N0} ms, and so on: turns due while it works " +
            $"count as *during*, turns due while it is held as *alone* (none due in the first {StartGuard.TotalMilliseconds:N0} ms " +
            $"after it starts or the first {StopGuard.TotalMilliseconds:N0} ms after it stops, while chat catches up), " +
            "so both sides share the same seconds of this machine. The purge rate is over the working time only. The writers " +
            "are paced (open loop, as users send turns) at the round's rate in all, latency counted from when each turn was " +
            "due; 1,000 turns/s is about the most the whole worker answers on this machine (docs/performance.md).",
            "",
            "| round | chat load | purge working time (cycles) | sessions/s | messages/s | turn p50 / p99 alone | turn p50 / p99 during purge | p99 during / alone |",
            "|---|---|---|---|---|---|---|---|",
        };
        lines.AddRange(results.Select(r => r.Row));
        lines.AddRange(
        [
            "",
            $"| chat load ({rounds} rounds) | sessions purged per second, median (goal ≥ 20,000) | chat p99 alone / during the purge, all rounds' turns | p99 during / alone (goal ≤ 2×) | the rounds' own ratios, median |",
            "|---|---|---|---|---|",
        ]);
        foreach (var rate in turnRates)
        {
            // One stall of ~80 ms moves a round's p99 several-fold (~1,200 turns a side in a round at 250 turns/s),
            // so the p99 is taken over every round's turns together; the rounds' own ratios are shown beside it.
            var atRate = results.Where(r => r.TurnRate == rate).ToList();
            var median = Median(atRate.Select(r => r.SessionsPerSecond));
            var alone = LatencyRecorder.Pooled(atRate.Select(r => r.Alone)).PercentileMs(99);
            var during = LatencyRecorder.Pooled(atRate.Select(r => r.During)).PercentileMs(99);
            lines.Add($"| {rate:N0} turns/s | {median:N0} | {alone:F2} / {during:F2} ms | {during / alone:F2}× | {Median(atRate.Select(r => r.Ratio)):F2}× |");
        }
        foreach (var line in lines.Skip(lines.Count - turnRates.Count - 3))
        {
            Console.WriteLine(line);
        }
        var docs = Path.Combine(FindRepositoryRoot(), "docs");
        Directory.CreateDirectory(docs);
        await File.WriteAllLinesAsync(Path.Combine(docs, "cleanup-benchmark.md"), lines);
        return results.All(r => r.Sessions == sessions) ? 0 : 1;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed record Round(int Number, int TurnRate, double WorkingSeconds, int Cycles, int Sessions, long Messages,
        LatencyRecorder Alone, LatencyRecorder During)
    {
        public double SessionsPerSecond => Sessions / WorkingSeconds;

        public double Ratio => During.PercentileMs(99) / Alone.PercentileMs(99);

        public string Row =>
            $"| {Number} | {TurnRate:N0} turns/s | {WorkingSeconds:F1} s ({Cycles}) | {SessionsPerSecond:N0} | {Messages / WorkingSeconds:N0} | " +
            $"{Alone.PercentileMs(50):F2} / {Alone.PercentileMs(99):F2} ms ({Alone.Count:N0}) | " +
            $"{During.PercentileMs(50):F2} / {During.PercentileMs(99):F2} ms ({During.Count:N0}) | {Ratio:F2}× |";
    }

    /// <summary>
    /// Holds the purge between its batches: once it has worked for <c>on</c>, the next batch waits <c>off</c>.
    /// Remembers every switch so a turn can be placed by when it was due.
    /// </summary>
    private sealed class PurgeWindows(TimeSpan on, TimeSpan off)
    {
        private readonly Lock _gate = new();
        private readonly List<(long At, bool Working)> _switches = [(Stopwatch.GetTimestamp(), true)];
        private long _workingSince = Stopwatch.GetTimestamp();
        private long _finished = long.MaxValue;

        public TimeSpan Working { get; private set; }

        public int Cycles { get; private set; } = 1;

        /// <summary>Time spent evicting from Redis (part of <see cref="Working"/>), and the batches evicted.</summary>
        public TimeSpan Evicting { get; private set; }

        public int Batches { get; private set; }

        public void Evicted(TimeSpan took)
        {
            Evicting += took;
            Batches++;
        }

        public async Task AfterBatchAsync()
        {
            if (Stopwatch.GetElapsedTime(_workingSince) < on)
            {
                return;
            }
            Switch(working: false);
            await Task.Delay(off);
            Switch(working: true);
            Cycles++;
        }

        public void Finish()
        {
            Switch(working: false);
            _finished = Stopwatch.GetTimestamp();
        }

        /// <summary>Whether the purge was working when <paramref name="due"/> came; null inside a guard or after the end.</summary>
        public bool? IsWorkingAt(long due)
        {
            lock (_gate)
            {
                if (due >= _finished)
                {
                    return null;
                }
                var last = _switches.FindLastIndex(s => s.At <= due);
                if (last < 0 || Stopwatch.GetElapsedTime(_switches[last].At, due) < (_switches[last].Working ? StartGuard : StopGuard))
                {
                    return null;
                }
                return _switches[last].Working;
            }
        }

        private void Switch(bool working)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (!working)
                {
                    Working += Stopwatch.GetElapsedTime(_workingSince, now);
                }
                _workingSince = now;
                _switches.Add((now, working));
            }
        }
    }

    private static async Task SeedExpiredAsync(BenchDatabase database, int sessions, int perSession)
    {
        const int chunk = 10_000;
        var completedAt = DateTime.UtcNow.AddDays(-120);
        await using var connection = await database.Admin.OpenConnectionAsync();
        for (var from = 0; from < sessions; from += chunk)
        {
            var to = Math.Min(sessions, from + chunk) - 1;
            await connection.ExecuteAsync("""
                INSERT INTO sessions (tenant_id, session_id, state, status, skill_name, context, version, message_count,
                                      created_at, updated_at, last_activity_at, completed_at)
                SELECT 'bench-' || (g % 100), 'expired-' || g, 'completed', 'completed', 'skill-' || g, '{"schema_version":1}',
                       @perSession / 2, @perSession, @at, @at, @at, @at
                  FROM generate_series(@from, @to) g;
                INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
                SELECT 'bench-' || (g % 100), 'expired-' || g, n, gen_random_uuid(),
                       repeat('a conversation about a skill ', 4), repeat('a conversation about a skill ', 4), @at
                  FROM generate_series(@from, @to) g, generate_series(1, @perSession / 2) n;
                """, new { from, to, perSession, at = completedAt }, commandTimeout: 600);
        }
        // Vacuumed and checkpointed like data that has sat for 90 days, so neither autovacuum nor a checkpoint falls
        // into one phase of a round and not the other, and the purge pays what it pays in production: the first
        // change to each page after a checkpoint writes the whole page to WAL.
        await connection.ExecuteAsync("VACUUM (ANALYZE) sessions", commandTimeout: 600);
        await connection.ExecuteAsync("VACUUM (ANALYZE) turns", commandTimeout: 600);
        await BenchDatabase.CheckpointAsync();
    }

    /// <param name="turnsPerSecond">
    /// The writers' total rate, paced (open loop, as users send turns: not faster because PostgreSQL has room), with
    /// each turn's latency counted from when it was due, so a stall also counts for the turns it delayed.
    /// </param>
    /// <param name="recorderFor">Where the turn due at a timestamp is counted, or null for nowhere.</param>
    private static async Task MeasureTurnsAsync(SessionStore store, string phase, Task until, int turnsPerSecond,
        Func<long, LatencyRecorder?> recorderFor)
    {
        using var stop = new CancellationTokenSource();
        var interval = (long)(Stopwatch.Frequency * (double)Writers / turnsPerSecond);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var key = new SessionKey($"bench-live-{w}", $"{phase}-{Guid.NewGuid():N}");
            var version = 0L;
            var due = Stopwatch.GetTimestamp() + interval * w / Writers;
            while (!stop.IsCancellationRequested)
            {
                if (due > Stopwatch.GetTimestamp())
                {
                    await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due));
                }
                await store.LoadAsync(key, CancellationToken.None);
                var result = await store.AppendTurnAsync(new TurnToAppend(key, Guid.NewGuid(), version, "a user message of ordinary length",
                    "an assistant reply of ordinary length, a little longer than the question", "gathering_details", "gathering_details",
                    SessionStatus.Active, null, null, """{"schema_version":1}""", DateTimeOffset.UtcNow), CancellationToken.None);
                recorderFor(due)?.Record(due);
                version = result.Version;
                due += interval;
            }
        })).ToList();
        await until;
        await stop.CancelAsync();
        await Task.WhenAll(writers);
    }

    internal static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SkillForge.Messaging.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
