using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RabbitMQ.Client;
using SkillForge.Client;
using SkillForge.Contracts.Queues;

namespace SkillForge.Bench;

/// <summary>
/// Issue 7's fault suite (`ops/chaos.sh`): real worker processes under 8+ concurrent senders, a fault injected into
/// the real servers or processes, then every answered turn checked against PostgreSQL — lost (answered but not
/// stored), duplicated (stored twice), out of order (a session's versions or roles not contiguous) — and the
/// failures a client saw counted.
/// </summary>
internal static class ChaosSuite
{
    private const int Senders = 8;

    private const string ClusterScenario = "rabbitmq-cluster-node-down";

    /// <summary>The three nodes of <c>ops/dev.sh up --cluster</c>.</summary>
    private static readonly string[] ClusterNodes = ["127.0.0.1:5672", "127.0.0.1:5673", "127.0.0.1:5674"];

    private sealed record Answered(string Session, Guid TurnId, long Version, bool Replayed);

    /// <param name="Check">What the fault itself was expected to cause and did not (empty when it did).</param>
    private sealed record Outcome(string Scenario, int Answered, int Lost, int Duplicated, int OutOfOrder, int ClientFailures, string Allowed, string Check);

    public static async Task<int> RunAsync(string[] args)
    {
        var longRun = args.Contains("--long");
        var seconds = longRun ? 60 : 24;
        // --long: full-length outages (Redis 20 s, PostgreSQL 30 s, RabbitMQ 20 s); otherwise a third of the run.
        TimeSpan Outage(int longSeconds) => longRun ? TimeSpan.FromSeconds(longSeconds) : TimeSpan.FromSeconds(seconds / 3.0);
        var only = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        var root = CleanupBenchmark.FindRepositoryRoot();
        using var bus = await BenchBus.StartAsync();
        var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
        var scenarios = new (string Name, string Allowed, int Workers, Func<List<WorkerProcess>, Task> Fault)[]
        {
            ("kill-worker", "none", 1, async workers =>
            {
                await workers[0].KillAsync();
                workers[0] = await WorkerProcess.StartAsync(root, workers[0].Port, workers[0].Settings);
            }),
            ("redis-outage", "none", 1, async _ =>
            {
                await Shell($"{root}/ops/dev.sh redis-cli FLUSHALL");
                await Shell($"{root}/ops/dev.sh stop-service redis");
                await Task.Delay(Outage(20));
                await Shell($"{root}/ops/dev.sh start-service redis");
            }),
            ("rabbitmq-restart", "timeouts while the broker is down, then resends", 1, async _ =>
            {
                await Shell($"{root}/ops/dev.sh stop-service rabbitmq");
                await Task.Delay(Outage(20));
                await Shell($"{root}/ops/dev.sh start-service rabbitmq");
            }),
            ("postgres-outage", "`unavailable` for sessions not in the cache while PostgreSQL is down", 1, async workers =>
            {
                await Shell($"{root}/ops/dev.sh stop-service postgres");
                await Task.Delay(Outage(30));
                await Shell($"{root}/ops/dev.sh start-service postgres");
                // The degraded mode itself: cached sessions were answered during the outage (their writes queued).
                var queued = await WriteBehindQueuedAsync(workers[0].Port);
                Console.WriteLine($"   answered during the outage by write-behind: {queued} turns");
                if (queued == 0)
                {
                    throw new ChaosCheckException("no turn was written behind during the outage");
                }
            }),
            ("kill-one-of-three", "none", 3, async workers => await workers[1].KillAsync()),
            ("poison-messages", "none", 1, async _ => await PublishPoisonAsync()),
            // The node every client and worker is connected to first goes away; quorum queues keep a majority on the others.
            (ClusterScenario, "none", 1, async _ =>
            {
                await Shell($"{root}/ops/dev.sh rabbit-node stop 1");
                await Task.Delay(Outage(20));
                await Shell($"{root}/ops/dev.sh rabbit-node start 1");
            }),
        };

        var outcomes = new List<Outcome>();
        foreach (var scenario in scenarios.Where(s => only is null || s.Name == only))
        {
            Console.WriteLine($"== {scenario.Name} ({seconds} s, {Senders} senders, {scenario.Workers} worker(s))");
            var cluster = scenario.Name == ClusterScenario;
            if (cluster)
            {
                await Shell($"{root}/ops/dev.sh up --cluster");
            }
            using var clusterBus = cluster ? await BenchBus.StartAsync(ClusterNodes) : null;
            var settings = cluster ? ClusterNodes.Select((node, i) => $"--RabbitMq:ClusterNodes:{i}={node}").ToArray() : [];
            var workers = new List<WorkerProcess>();
            try
            {
                for (var i = 0; i < scenario.Workers; i++)
                {
                    workers.Add(await WorkerProcess.StartAsync(root, 18080 + i, settings));
                }
                var scenarioClient = clusterBus is null ? client : clusterBus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
                var outcome = await RunScenarioAsync(scenarioClient, scenario.Name, scenario.Allowed, TimeSpan.FromSeconds(seconds), () => scenario.Fault(workers));
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
                    await Shell($"{root}/ops/dev.sh cluster-down");
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
            var docs = Path.Combine(root, "docs");
            Directory.CreateDirectory(docs);
            await File.WriteAllTextAsync(Path.Combine(docs, "chaos.md"),
                $"# Fault suite\n\n`ops/chaos.sh` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {seconds} s a scenario, {Senders} senders.\n\n{table}");
        }
        var failed = outcomes.Any(o => o.Lost > 0 || o.Duplicated > 0 || o.OutOfOrder > 0 || (o.Allowed == "none" && o.ClientFailures > 0) || o.Check.Length > 0);
        return failed ? 1 : 0;
    }

    private static async Task<Outcome> RunScenarioAsync(SkillForgeClient client, string name, string allowed, TimeSpan duration, Func<Task> fault)
    {
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
        var (lost, duplicated, outOfOrder) = await VerifyAsync(tenant, answered.ToList());
        for (var waited = 0; lost > 0 && waited < 60; waited++)
        {
            await Task.Delay(1000);
            (lost, duplicated, outOfOrder) = await VerifyAsync(tenant, answered.ToList());
        }
        Console.WriteLine($"   answered {answered.Count}, lost {lost}, duplicated {duplicated}, out of order {outOfOrder}, client failures {failures} {check}");
        foreach (var (kind, count) in failureKinds.OrderByDescending(k => k.Value))
        {
            Console.WriteLine($"     {count} × {kind}");
        }
        return new Outcome(name, answered.Count, lost, duplicated, outOfOrder, failures, allowed, check);
    }

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
        var stem = Path.Combine(CleanupBenchmark.FindRepositoryRoot(), ".data", "logs", $"chaos-hang-{name}-{DateTime.UtcNow:yyyyMMddHHmmss}");
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

    /// <summary>Every answered turn against PostgreSQL, read as the maintenance role (all of the tenant's rows).</summary>
    private static async Task<(int Lost, int Duplicated, int OutOfOrder)> VerifyAsync(string tenant, List<Answered> answered)
    {
        // Unpooled: a pooled connection from before a PostgreSQL restart would be dead on its first query.
        await using var connection = new NpgsqlConnection(BenchBus.Env("ConnectionStrings__PostgresMaintenance",
            "Host=127.0.0.1;Port=5432;Username=skillforge_maintenance;Password=skillforge_maintenance;Database=skillforge") + ";Pooling=false");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await connection.OpenAsync();
                break;
            }
            catch (NpgsqlException) when (attempt < 30)
            {
                await Task.Delay(1000);
            }
        }
        // One row a turn (migration 0005): turn n of a session is the one that moved it to version n.
        var rows = (await connection.QueryAsync<(string Session, long TurnNo, Guid TurnId)>(
            "SELECT session_id, turn_no, turn_id FROM turns WHERE tenant_id = @tenant ORDER BY session_id, turn_no", new { tenant })).ToList();
        var byTurn = rows.GroupBy(r => r.TurnId).ToDictionary(g => g.Key, g => g.ToList());
        var lost = answered.Count(a => !byTurn.TryGetValue(a.TurnId, out var stored) || stored.All(s => s.TurnNo != a.Version));
        var duplicated = byTurn.Values.Count(g => g.Count != 1);
        var outOfOrder = rows.GroupBy(r => r.Session).Count(session => session.Select((r, i) => r.TurnNo != i + 1).Any(bad => bad));
        return (lost, duplicated, outOfOrder);
    }

    /// <summary>Malformed JSON, an unknown message type and an oversized body, straight into the chat-turn queue.</summary>
    private static async Task PublishPoisonAsync()
    {
        var factory = new ConnectionFactory
        {
            HostName = BenchBus.Env("RabbitMq__Host", "127.0.0.1"),
            VirtualHost = BenchBus.Env("RabbitMq__VirtualHost", "skillforge"),
            UserName = BenchBus.Env("RabbitMq__Username", "skillforge-worker"),
            Password = BenchBus.Env("RabbitMq__Password", "skillforge-worker"),
        };
        await using var connection = await factory.CreateConnectionAsync();
        var error = $"{SkillForgeQueues.ChatTurns}_error";
        var skipped = $"{SkillForgeQueues.ChatTurns}_skipped";
        var (errorBefore, skippedBefore) = (await CountAsync(connection, error), await CountAsync(connection, skipped));
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true };
        await channel.BasicPublishAsync(SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns), "", true, properties, Encoding.UTF8.GetBytes("{ this is not json"));
        await channel.BasicPublishAsync(SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns), "", true, properties, Encoding.UTF8.GetBytes(
            """{"messageId":"0d9f2f8e-0000-0000-0000-000000000001","messageType":["urn:message:Nobody:UnknownCommand"],"message":{}}"""));
        try
        {
            await channel.BasicPublishAsync(SkillForgeQueues.InboundExchange(SkillForgeQueues.ChatTurns), "", true, properties, new byte[5 * 1024 * 1024]);
        }
        catch (Exception e)
        {
            // The broker refuses bodies over max_message_size (ops/rabbitmq): that is the expected outcome.
            Console.WriteLine($"   oversized body refused by the broker: {e.GetType().Name}");
        }

        // The malformed body goes to _error, the unknown type to _skipped; the worker keeps serving (the load shows it).
        for (var waited = 0; waited < 20; waited++)
        {
            var (errors, skips) = (await CountAsync(connection, error), await CountAsync(connection, skipped));
            if (errors > errorBefore && skips > skippedBefore)
            {
                Console.WriteLine($"   {error}: +{errors - errorBefore}, {skipped}: +{skips - skippedBefore}");
                return;
            }
            await Task.Delay(500);
        }
        throw new ChaosCheckException($"the poison did not land in {error} and {skipped}");
    }

    /// <summary>Messages in a queue (0 when it does not exist yet: MassTransit declares _error/_skipped at first use).</summary>
    private static async Task<uint> CountAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>The worker's <c>skillforge_write_behind_total{stage="queued"}</c>, read from its /metrics.</summary>
    private static async Task<long> WriteBehindQueuedAsync(int port) =>
        await MetricSumAsync(port, "skillforge_write_behind_total{", "stage=\"queued\"");

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

    /// <summary>The sum of a metric's series (those whose line holds <paramref name="label"/>, when given) on a worker's /metrics.</summary>
    private static async Task<long> MetricSumAsync(int port, string prefix, string? label)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        return metrics.Split('\n')
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal) && (label is null || line.Contains(label, StringComparison.Ordinal)))
            .Sum(line => (long)double.Parse(line[(line.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class ChaosCheckException(string message) : Exception(message);

    private static async Task Shell(string command) =>
        Console.WriteLine($"   $ {command} → exit {await RunToolAsync("bash", ["-c", command], null)}");
}
