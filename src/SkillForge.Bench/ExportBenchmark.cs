using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Harness;

namespace SkillForge.Bench;

/// <summary>
/// <c>ops/dev.sh bench export</c>: what a user's export costs against what it returns. Three users are seeded straight
/// into a scratch database (100 sessions of 200 turns, 10 of 200, 100 of 20), one worker serves them, and the typed
/// client exports each (<see cref="SkillForgeClient.ExportUserAsync"/>). The figures are requests, time and bytes
/// per message, as ratios against the 10-session user exported in the same run.
/// </summary>
internal static class ExportBenchmark
{
    private const string Tenant = "bench-export";
    private const int Rounds = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        await using var database = await ScratchDatabase.CreateAsync(DatabaseServer.FromEnvironment(), "sf_bench");
        (string User, int Sessions, int Turns)[] users = [("u10x200", 10, 200), ("u100x200", 100, 200), ("u100x20", 100, 20)];
        foreach (var (user, sessions, turns) in users)
        {
            await SeedAsync(database, user, sessions, turns);
        }
        await using var worker = await WorkerProcess.StartAsync(18083,
            $"--ConnectionStrings:Postgres={database.AppConnectionString}", $"--ConnectionStrings:PostgresMaintenance={database.MaintenanceConnectionString}",
            $"--ConnectionStrings:PostgresAdmin={database.AdminConnectionString}");
        using var bus = await BenchBus.StartAsync();
        var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
        await client.ExportUserAsync(Tenant, "u10x200"); // warm-up: connections, JIT

        var results = new List<(string User, int Sessions, int Messages, int Requests, long Bytes, double Seconds)>();
        foreach (var (user, sessions, turns) in users)
        {
            var times = new List<double>();
            SkillForgeExport export = null!;
            for (var round = 0; round < Rounds; round++)
            {
                var started = Stopwatch.GetTimestamp();
                export = await client.ExportUserAsync(Tenant, user);
                times.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
            var messages = export.Sessions.Sum(s => s.Messages.Count);
            if (export.Sessions.Count != sessions || messages != sessions * turns * 2)
            {
                throw new InvalidOperationException($"{user}: exported {export.Sessions.Count} sessions and {messages} messages, seeded {sessions} and {sessions * turns * 2}.");
            }
            // One listing page per 200 sessions, then for each session its export and a history page per 1,000 messages.
            var requests = (sessions + 199) / 200 + export.Sessions.Sum(s => 1 + Math.Max(1, (s.Messages.Count + SkillForgeClient.ExportPageSize - 1) / SkillForgeClient.ExportPageSize));
            var bytes = JsonSerializer.SerializeToUtf8Bytes(export, new JsonSerializerOptions(JsonSerializerDefaults.Web)).LongLength;
            results.Add((user, sessions, messages, requests, bytes, times.Order().ElementAt(Rounds / 2)));
            Console.WriteLine($"{user}: {sessions} sessions, {messages} messages, {requests} requests, {bytes / 1e6:F1} MB, median {times.Order().ElementAt(Rounds / 2):F2} s");
        }

        var baseline = results[0];
        double PerMessage(double value, int messages) => value / messages;
        var report = new StringBuilder()
            .AppendLine($"## A user's export ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores)")
            .AppendLine()
            .AppendLine($"`SkillForgeClient.ExportUserAsync` against one worker process with the shipped settings; sessions seeded straight into a " +
                        $"scratch database, messages of about 300 characters; median of {Rounds} exports each. Ratios are per message against " +
                        $"the 10-session user of the same run.")
            .AppendLine()
            .AppendLine("| user | sessions | messages | requests | document | time (median) | time per message | ratio |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var ratio = PerMessage(r.Seconds, r.Messages) / PerMessage(baseline.Seconds, baseline.Messages);
            report.AppendLine($"| {r.User} | {r.Sessions} | {r.Messages:N0} | {r.Requests} | {r.Bytes / 1e6:F1} MB | {r.Seconds:F2} s | " +
                              $"{PerMessage(r.Seconds, r.Messages) * 1e6:F0} µs | {ratio:F2}× |");
        }
        // The two 100-session users differ only in messages: a straight line through them splits the cost per message and per session.
        var (long_, short_) = (results[1], results[2]);
        var perMessage = (long_.Seconds - short_.Seconds) / (long_.Messages - short_.Messages);
        var perSession = (short_.Seconds - perMessage * short_.Messages) / short_.Sessions;
        report.AppendLine()
            .AppendLine($"The cost is what the export returns: about {perMessage * 1e6:F0} µs a message and {perSession * 1e3:F1} ms a session (its " +
                        "export request and its first history page), from the two 100-session users; requests grow with sessions and " +
                        "with each 1,000 messages, never with anything the user does not have.")
            .AppendLine()
            .AppendLine("Every answer on the way is bounded whatever the user holds: a listing page at most 200 sessions, a history page at most " +
                        "1,000 messages and `Sessions:MaxHistoryPageBytes` (2 MiB), a session's export its row and audit lines.");
        await File.WriteAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "export-benchmark.md"), $"# Export cost\n\n`ops/dev.sh bench export`.\n\n{report}");
        Console.WriteLine(report);
        await bus.StopAsync();
        return 0;
    }

    private static async Task SeedAsync(ScratchDatabase database, string user, int sessions, int turns)
    {
        await using var connection = await database.Superuser.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at,
                                  last_activity_at, user_id)
            SELECT @Tenant, @User || '-' || s, 'gathering_details', 'active', '{}', @Turns, 2 * @Turns, now(), now(),
                   now() - make_interval(mins => s), @User
              FROM generate_series(1, @Sessions) s;
            INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
            SELECT @Tenant, @User || '-' || s, t, gen_random_uuid(), repeat('user text ' || t || ' ', 20), repeat('assistant reply ' || t || ' ', 17), now()
              FROM generate_series(1, @Sessions) s, generate_series(1, @Turns) t;
            """, new { Tenant, User = user, Sessions = sessions, Turns = turns }, commandTimeout: 600);
    }
}
