using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Harness;

namespace SkillForge.Chaos;

/// <summary>
/// The fault suite (`ops/chaos.sh`): real worker processes under 8+ concurrent senders, a fault injected into
/// the real servers or processes, then every answered turn checked against PostgreSQL — lost (answered but not
/// stored), duplicated (stored twice), out of order (a session's versions or roles not contiguous) — and the
/// failures a client saw counted.
/// </summary>
internal static partial class ChaosSuite
{
    private const int Senders = 8;

    private const string ClusterScenario = "rabbitmq-cluster-node-down";

    /// <summary>The three nodes of <c>ops/dev.sh up --cluster</c>.</summary>
    private static readonly string[] ClusterNodes = ["127.0.0.1:5672", "127.0.0.1:5673", "127.0.0.1:5674"];

    private sealed record Answered(string Session, Guid TurnId, long Version, bool Replayed);

    /// <param name="Check">What the fault itself was expected to cause and did not (empty when it did).</param>
    private sealed record Outcome(string Scenario, int Answered, int Lost, int Duplicated, int OutOfOrder, int ClientFailures, string Allowed, string Check)
    {
        public bool LossMeasured { get; init; }
    }

    /// <param name="Allowed">The client-visible failures the scenario allows ("none" when a failure fails it).</param>
    private sealed record Scenario(string Name, string Allowed, int Workers, Func<List<WorkerProcess>, Task> Fault)
    {
        /// <summary>More of <c>ops/dev.sh up</c> before it starts (<c>--ha</c>).</summary>
        public string? Up { get; init; }

        public string[] WorkerSettings { get; init; } = [];

        /// <summary>Where its turns are checked: the maintenance role's connection string (the main server when null).</summary>
        public string? Database { get; init; }

        /// <summary>Its own length, when the fault takes longer than a third of the usual run.</summary>
        public int? Seconds { get; init; }

        /// <summary>Lost turns are what it measures, not a failure; run only when named.</summary>
        public bool LossMeasured { get; init; }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var longRun = args.Contains("--long");
        var seconds = longRun ? 60 : 24;
        // --long: full-length outages (Redis 20 s, PostgreSQL 30 s, RabbitMQ 20 s); otherwise a third of the run.
        TimeSpan Outage(int longSeconds) => longRun ? TimeSpan.FromSeconds(longSeconds) : TimeSpan.FromSeconds(seconds / 3.0);
        var only = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        using var bus = await ToolBus.StartAsync([]);
        var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
        var scenarios = new Scenario[]
        {
            new("kill-worker", "none", 1, async workers =>
            {
                await workers[0].KillAsync();
                workers[0] = await WorkerProcess.StartAsync(workers[0].Port, workers[0].Settings);
            }),
            new("redis-outage", "none", 1, async _ =>
            {
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh redis-cli FLUSHALL");
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh stop-service redis");
                await Task.Delay(Outage(20));
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh start-service redis");
            }),
            new("rabbitmq-restart", "timeouts while the broker is down, then resends", 1, async _ =>
            {
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh stop-service rabbitmq");
                await Task.Delay(Outage(20));
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh start-service rabbitmq");
            }),
            new("postgres-outage", "`unavailable` for sessions not in the cache while PostgreSQL is down", 1, async workers =>
            {
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh stop-service postgres");
                await Task.Delay(Outage(30));
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh start-service postgres");
                // The degraded mode itself: cached sessions were answered during the outage (their writes queued).
                var queued = await WriteBehindQueuedAsync(workers[0].Port);
                Console.WriteLine($"   answered during the outage by write-behind: {queued} turns");
                if (queued == 0)
                {
                    throw new ChaosCheckException("no turn was written behind during the outage");
                }
            }),
            new("kill-one-of-three", "none", 3, async workers => await workers[1].KillAsync()),
            new("poison-messages", "none", 1, async _ => await PublishPoisonAsync()),
            // The node every client and worker is connected to first goes away; quorum queues keep a majority on the others.
            new(ClusterScenario, "none", 1, async _ =>
            {
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh rabbit-node stop 1");
                await Task.Delay(Outage(20));
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh rabbit-node start 1");
            }),
            new("redis-cluster-master-down", "none", 1, async _ => await KillRedisMasterAsync())
            {
                Up = "--redis-cluster", WorkerSettings = RedisClusterSettings,
            },
            // Two failovers take about a minute with their rejoins: the load runs long enough to cover both.
            new("postgres-failover", "`unavailable` for sessions not in the cache while no node takes writes", 1,
                async workers => await FailoverTwiceAsync(workers[0]))
            {
                Up = "--ha", WorkerSettings = HaSettings(relaxed: false), Database = HaMaintenance, Seconds = 90,
            },
            // A measurement, not a gate (not in the default run): what an asynchronous standby loses at failover.
            new("postgres-failover-async", "lost turns: measured, the cost of an asynchronous standby", 1,
                async workers => await FailoverTwiceAsync(workers[0]))
            {
                Up = "--ha", WorkerSettings = HaSettings(relaxed: true), Database = HaMaintenance, Seconds = 90, LossMeasured = true,
            },
        };

        var outcomes = new List<Outcome>();
        foreach (var scenario in scenarios.Where(s => only is null ? !s.LossMeasured : s.Name == only))
        {
            var length = scenario.Seconds is { } fixedLength && !longRun ? fixedLength : seconds;
            Console.WriteLine($"== {scenario.Name} ({length} s, {Senders} senders, {scenario.Workers} worker(s))");
            var cluster = scenario.Name == ClusterScenario;
            if (cluster)
            {
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh up --cluster");
            }
            if (scenario.Up is { } up)
            {
                await Shell($"{RepositoryRoot.Path}/ops/dev.sh up {up}");
            }
            using var clusterBus = cluster ? await ToolBus.StartAsync(ClusterNodes) : null;
            var settings = cluster ? ClusterNodes.Select((node, i) => $"--RabbitMq:ClusterNodes:{i}={node}").ToArray() : scenario.WorkerSettings;
            var workers = new List<WorkerProcess>();
            try
            {
                for (var i = 0; i < scenario.Workers; i++)
                {
                    workers.Add(await WorkerProcess.StartAsync(18080 + i, settings));
                }
                var scenarioClient = clusterBus is null ? client : clusterBus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
                var outcome = await RunScenarioAsync(scenarioClient, scenario, TimeSpan.FromSeconds(length), () => scenario.Fault(workers));
                var stuck = await StuckConsumesAsync(scenario.Name, workers);
                outcomes.Add(stuck.Length == 0 ? outcome : outcome with { Check = (outcome.Check + " " + stuck).Trim() });
            }
            finally
            {
                foreach (var worker in workers)
                {
                    await worker.DisposeAsync();
                }
                if (clusterBus is not null)
                {
                    await clusterBus.StopAsync();
                    await Shell($"{RepositoryRoot.Path}/ops/dev.sh cluster-down");
                }
            }
        }

        var table = new StringBuilder()
            .AppendLine($"| scenario | answered turns | lost | duplicated | out of order | client-visible failures | allowed | fault's own check |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var o in outcomes)
        {
            table.AppendLine($"| {o.Scenario} | {o.Answered} | {o.Lost} | {o.Duplicated} | {o.OutOfOrder} | {o.ClientFailures} | {o.Allowed} | {(o.Check.Length == 0 ? "ok" : o.Check)} |");
        }
        Console.WriteLine(table);
        if (only is null)
        {
            // The whole suite's table only: one scenario run by hand does not replace it.
            var docs = Path.Combine(RepositoryRoot.Path, "docs");
            Directory.CreateDirectory(docs);
            await File.WriteAllTextAsync(Path.Combine(docs, "chaos.md"),
                $"# Fault suite\n\n`ops/chaos.sh` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {seconds} s a scenario, {Senders} senders.\n\n{table}");
        }
        var failed = outcomes.Any(o => (o.Lost > 0 && !o.LossMeasured) || o.Duplicated > 0 || o.OutOfOrder > 0 || (o.Allowed == "none" && o.ClientFailures > 0) || o.Check.Length > 0);
        return failed ? 1 : 0;
    }

    private static async Task<Outcome> RunScenarioAsync(SkillForgeClient client, Scenario scenario, TimeSpan duration, Func<Task> fault)
    {
        var (name, allowed) = (scenario.Name, scenario.Allowed);
        var tenant = $"chaos-{name}-{Guid.NewGuid():N}"[..40];
        var answered = new ConcurrentBag<Answered>();
        var failures = 0;
        // What each client-visible failure was, so a failed run says why: "Rejected: unavailable", an exception type.
        var failureKinds = new ConcurrentDictionary<string, int>();
        // Each sender's turn in flight and since when: what a hung run reports.
        var inFlight = new ConcurrentDictionary<int, (string Session, long Since)>();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var load = Task.WhenAll(Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (var n = 0; Stopwatch.GetTimestamp() < deadline; n++)
            {
                var session = $"s{s}-{n / 12}";
                inFlight[s] = (session, Stopwatch.GetTimestamp());
                try
                {
                    var result = await client.SendTurnAsync(tenant, session, $"chaos detail {n} from sender {s}");
                    if (result.Replied is { } r)
                    {
                        answered.Add(new Answered(session, r.TurnId, r.Version, r.Replayed));
                        continue;
                    }
                    failureKinds.AddOrUpdate($"rejected: {result.Rejected?.Reason}", 1, (_, c) => c + 1);
                }
                catch (Exception e)
                {
                    failureKinds.AddOrUpdate($"{e.GetType().Name}: {e.Message.Split('\n')[0]}", 1, (_, c) => c + 1);
                }
                finally
                {
                    inFlight.TryRemove(s, out _);
                }
                Interlocked.Increment(ref failures);
                await Task.Delay(200);
            }
        })));
        await Task.Delay(duration / 3);
        var check = "";
        try
        {
            await fault();
        }
        catch (Exception e) when (e is ChaosCheckException)
        {
            check = e.Message;
        }
        var untilEnd = TimeSpan.FromSeconds(Math.Max(0, (deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));
        if (await Task.WhenAny(load, Task.Delay(untilEnd + HangBound)) != load)
        {
            // A turn the client never gave up on: report it and go on, rather than hang the suite (and CI) for ever.
            check = (check + $" hung: {inFlight.Count} sender(s) still waiting {HangBound.TotalSeconds:F0} s after the run's end").Trim();
            Console.WriteLine($"   {check}");
            foreach (var (sender, turn) in inFlight.OrderBy(f => f.Key))
            {
                Console.WriteLine($"     sender {sender}, session {turn.Session}: in flight for {Stopwatch.GetElapsedTime(turn.Since).TotalSeconds:F0} s");
            }
            await DumpAsync(name, Environment.ProcessId);
        }
        // Turns answered while PostgreSQL was down reach it from the write-behind queue shortly after: give them a minute.
        var (lost, duplicated, outOfOrder) = await VerifyAsync(scenario.Database, tenant, answered.ToList());
        for (var waited = 0; lost > 0 && waited < 60; waited++)
        {
            await Task.Delay(1000);
            (lost, duplicated, outOfOrder) = await VerifyAsync(scenario.Database, tenant, answered.ToList());
        }
        Console.WriteLine($"   answered {answered.Count}, lost {lost}, duplicated {duplicated}, out of order {outOfOrder}, client failures {failures} {check}");
        foreach (var (kind, count) in failureKinds.OrderByDescending(k => k.Value))
        {
            Console.WriteLine($"     {count} × {kind}");
        }
        return new Outcome(name, answered.Count, lost, duplicated, outOfOrder, failures, allowed, check) { LossMeasured = scenario.LossMeasured };
    }
}
