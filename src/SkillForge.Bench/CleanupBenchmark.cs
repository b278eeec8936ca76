using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Sessions;
using SkillForge.Sessions.Retention;

namespace SkillForge.Bench;

/// <summary>
/// Issue 5's benchmark: seed expired sessions (default 100,000 with 10 messages each), purge them with the real
/// <see cref="CleanupRun"/> while 8 writers keep doing what a chat turn does to PostgreSQL (load the session, append
/// a turn), and compare the writers' p99 during the purge with their p99 just before it, in the same run.
/// </summary>
internal static class CleanupBenchmark
{
    private const int Writers = 8;
    private static readonly TimeSpan BaselineDuration = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string[] args)
    {
        var sessions = IntArg(args, "--sessions", 100_000);
        var perSession = IntArg(args, "--messages-per-session", 10);
        var policy = new RetentionPolicy
        {
            BatchSize = IntArg(args, "--batch", new RetentionPolicy().BatchSize),
            PauseBetweenBatches = TimeSpan.FromMilliseconds(IntArg(args, "--pause-ms", (int)new RetentionPolicy().PauseBetweenBatches.TotalMilliseconds)),
        };
        await using var database = await BenchDatabase.CreateAsync();

        Console.WriteLine($"Seeding {sessions:N0} expired sessions with {perSession} messages each ({(long)sessions * perSession:N0} messages)...");
        var seedStarted = Stopwatch.GetTimestamp();
        await SeedExpiredAsync(database, sessions, perSession);
        Console.WriteLine($"  seeded in {Stopwatch.GetElapsedTime(seedStarted).TotalSeconds:F1} s");

        var store = new SessionStore(new SessionDatabase(database.App), Options.Create(new SessionStoreOptions()), NullLogger<SessionStore>.Instance);
        var baseline = await MeasureTurnsAsync(store, "baseline", until: Task.Delay(BaselineDuration));

        var run = new CleanupRun(new MaintenanceDatabase(database.Admin), Options.Create(policy), NullLogger<CleanupRun>.Instance);
        var purgeStarted = Stopwatch.GetTimestamp();
        var purge = run.RunAsync(DateTimeOffset.UtcNow, dryRun: false, _ => Task.CompletedTask, CancellationToken.None);
        var during = await MeasureTurnsAsync(store, "during", until: purge);
        var report = await purge;
        var purgeSeconds = Stopwatch.GetElapsedTime(purgeStarted).TotalSeconds;

        var sessionsPerSecond = report.DeletedSessions / purgeSeconds;
        var messagesPerSecond = report.DeletedMessages / purgeSeconds;
        var ratio = during.PercentileMs(99) / baseline.PercentileMs(99);
        var lines = new[]
        {
            $"## Cleanup benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)",
            "",
            $"Seeded {sessions:N0} expired completed sessions, {report.DeletedMessages:N0} messages; batch size {policy.BatchSize:N0}, pause between batches {policy.PauseBetweenBatches.TotalMilliseconds:F0} ms; {Writers} concurrent turn writers (load + append).",
            "",
            "| measure | value | goal |",
            "|---|---|---|",
            $"| purge duration | {purgeSeconds:F1} s | |",
            $"| sessions purged per second | {sessionsPerSecond:N0} | ≥ 20,000 |",
            $"| messages purged per second | {messagesPerSecond:N0} | |",
            $"| turn p50 / p99 without purge | {baseline.PercentileMs(50):F2} / {baseline.PercentileMs(99):F2} ms ({baseline.Count:N0} turns) | |",
            $"| turn p50 / p99 during purge | {during.PercentileMs(50):F2} / {during.PercentileMs(99):F2} ms ({during.Count:N0} turns) | |",
            $"| p99 during / p99 without | {ratio:F2}× | ≤ 2× |",
        };
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
        var docs = Path.Combine(FindRepositoryRoot(), "docs");
        Directory.CreateDirectory(docs);
        await File.WriteAllLinesAsync(Path.Combine(docs, "cleanup-benchmark.md"), lines);
        return report.DeletedSessions == sessions ? 0 : 1;
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
                INSERT INTO messages (tenant_id, session_id, seq, role, content, turn_id, created_at)
                SELECT 'bench-' || (g % 100), 'expired-' || g, m, CASE WHEN m % 2 = 1 THEN 'user' ELSE 'assistant' END,
                       repeat('a conversation about a skill ', 4), gen_random_uuid(), @at
                  FROM generate_series(@from, @to) g, generate_series(1, @perSession) m;
                """, new { from, to, perSession, at = completedAt }, commandTimeout: 600);
        }
        await connection.ExecuteAsync("ANALYZE sessions; ANALYZE messages;");
    }

    private static async Task<LatencyRecorder> MeasureTurnsAsync(SessionStore store, string phase, Task until)
    {
        var recorder = new LatencyRecorder();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var key = new SessionKey($"bench-live-{w}", $"{phase}-{Guid.NewGuid():N}");
            var version = 0L;
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await store.LoadAsync(key, CancellationToken.None);
                var result = await store.AppendTurnAsync(new TurnToAppend(key, Guid.NewGuid(), version, "a user message of ordinary length",
                    "an assistant reply of ordinary length, a little longer than the question", "gathering_details", "gathering_details",
                    SessionStatus.Active, null, null, """{"schema_version":1}""", DateTimeOffset.UtcNow), CancellationToken.None);
                recorder.Record(started);
                version = result.Version;
            }
        })).ToList();
        await until;
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        return recorder;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
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
