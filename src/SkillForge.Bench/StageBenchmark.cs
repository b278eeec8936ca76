using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Agent;
using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Harness;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;

namespace SkillForge.Bench;

/// <summary>
/// A chat turn's stages one at a time, each in a loop of its own with a single caller: the CPU each costs the process
/// that runs it (as the worker runs it) and the servers, per operation. Beside the worker's CPU per turn in
/// docs/performance.md, what the stages do not account for is the consume pipeline's: MassTransit's receive, the
/// admission line, the reply's send, logging scopes, spans and metrics. Writes docs/turn-stages.md.
/// </summary>
internal static class StageBenchmark
{
    private sealed record Stage(string Name, string What, double ClientCpuUs, double PostgresCpuUs, double RedisCpuUs, double WallUs);

    public static async Task<int> RunAsync(string[] args)
    {
        var operations = BenchArgs.Int(args, "--operations", 5_000);
        var stages = new List<Stage>();

        // Realistic inputs, untimed: conversations of 20 turns as the benchmark's senders hold them, through the
        // real agent, keeping each turn's context JSON and text.
        var agent = new SkillAgent(new InterviewResponder());
        var inputs = new List<(string ContextJson, SkillContext Context, string Text)>();
        for (var conversation = 0; inputs.Count < operations; conversation++)
        {
            var context = SkillContext.New();
            for (var n = 0; n < 20 && inputs.Count < operations; n++)
            {
                var text = $"Here is detail number {n} of my skill";
                var json = SkillContextSerializer.Serialize(context);
                inputs.Add((json, context, text));
                context = (await agent.RespondAsync(new AgentTurnInput(text, context, [], []), CancellationToken.None)).Context;
            }
        }
        var contextBytes = inputs.Average(i => Encoding.UTF8.GetByteCount(i.ContextJson));

        stages.Add(await MeasureAsync("context read", "the stored context JSON parsed", operations, i =>
        {
            _ = SkillContextSerializer.Deserialize(inputs[i].ContextJson);
            return Task.CompletedTask;
        }));
        var results = new AgentTurnResult[operations];
        stages.Add(await MeasureAsync("agent", "the built-in interview answers the turn", operations, async i =>
            results[i] = await agent.RespondAsync(new AgentTurnInput(inputs[i].Text, inputs[i].Context, [], []), CancellationToken.None)));
        stages.Add(await MeasureAsync("context write", "the new context serialised", operations, i =>
        {
            _ = SkillContextSerializer.Serialize(results[i].Context);
            return Task.CompletedTask;
        }));

        // The servers' stages on a session of its own, a conversation long enough to fill the cache's window.
        await using var database = await ScratchDatabase.CreateAsync(DatabaseServer.FromEnvironment(), "sf_bench_stages");
        var options = Options.Create(new SessionStoreOptions());
        var store = new SessionStore(new SessionDatabase(database.App), options, NullLogger<SessionStore>.Instance);
        var key = new SessionKey("bench-stages", "hot");
        var version = 0L;
        Task<AppendResult> Append(int i) => store.AppendTurnAsync(new TurnToAppend
        {
            Key = key, TurnId = Guid.NewGuid(), ExpectedVersion = version, UserText = inputs[i].Text, Reply = results[i].Reply,
            PreviousState = "gathering_details", State = "gathering_details", Status = SessionStatus.Active,
            ContextJson = inputs[i].ContextJson, At = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        for (var i = 0; i < 40; i++)
        {
            version = (await Append(i)).Version;
        }
        stages.Add(await MeasureAsync("store append", "one command: the session row under its version check and the turn row, one commit", operations, async i =>
        {
            var appended = await Append(i);
            version = appended.Outcome == AppendOutcome.Appended ? appended.Version : throw new InvalidOperationException($"append was {appended.Outcome}");
        }));
        var session = (await store.LoadAsync(key, CancellationToken.None))!;
        stages.Add(await MeasureAsync("store load", "a cache miss: the session row and its recent turns", operations, async _ =>
        {
            var loaded = await store.LoadAsync(key, CancellationToken.None);
            GC.KeepAlive(loaded);
        }));

        using var redis = SessionsHostingExtensions.ConnectRedis(ToolEnvironment.Get("ConnectionStrings__Redis", "127.0.0.1:6379,user=skillforge-worker,password=skillforge-worker"));
        var cache = new SessionCache(redis, options, NullLogger<SessionCache>.Instance);
        var cachedVersion = session.Version; // each write a newer version, as each turn's is: the cache refuses an older one
        stages.Add(await MeasureAsync("cache write", "the session serialised and written by a Lua compare-and-set", operations, async _ =>
        {
            if (!await cache.SetAsync(session with { Version = ++cachedVersion }))
            {
                throw new InvalidOperationException("the cache refused a newer version");
            }
        }));
        stages.Add(await MeasureAsync("cache load", "the session read (Lua, sliding expiry) and parsed", operations, async _ =>
        {
            if (await cache.GetEntryAsync(key) is null)
            {
                throw new InvalidOperationException("cache miss in the hot restore");
            }
        }));
        await cache.RemoveAsync(key);

        var report = Report(stages, operations, contextBytes, session);
        Console.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "turn-stages.md"), report);
        return 0;
    }

    /// <summary>A warm-up of a tenth, then <paramref name="operations"/> in a row, one caller: CPU by process and wall time per operation.</summary>
    private static async Task<Stage> MeasureAsync(string name, string what, int operations, Func<int, Task> operation)
    {
        for (var i = 0; i < operations / 10; i++)
        {
            await operation(i);
        }
        var cpu = ProcessCpu.Snapshot();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < operations; i++)
        {
            await operation(i);
        }
        var wall = Stopwatch.GetElapsedTime(started);
        var used = ProcessCpu.Since(cpu);
        double PerOperation(string part) => used[part] * 1e6 / operations;
        var stage = new Stage(name, what, PerOperation("bench"), PerOperation("postgres"), PerOperation("redis"), wall.TotalMicroseconds / operations);
        Console.WriteLine($"  {name,-14} client CPU {stage.ClientCpuUs,7:F1} µs  PostgreSQL {stage.PostgresCpuUs,7:F1} µs  Redis {stage.RedisCpuUs,6:F1} µs  wall {stage.WallUs,7:F1} µs");
        return stage;
    }

    private static string Report(List<Stage> stages, int operations, double contextBytes, StoredSession session)
    {
        var md = new StringBuilder();
        md.AppendLine("# A chat turn's stages, one at a time").AppendLine()
          .AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `ops/dev.sh bench stages` on {Environment.ProcessorCount} cores: each stage " +
                      $"{operations:N0} times in a row by one caller after a warm-up, with the inputs of 20-turn conversations like the turn " +
                      $"benchmark's (context {contextBytes:N0} bytes on average; the cached session holds {session.RecentMessages.Count} recent messages). " +
                      "CPU is counted by process from /proc, so a client's figure includes its library's threads (Npgsql, StackExchange.Redis) and the GC.")
          .AppendLine()
          .AppendLine("| stage | what it does | client CPU µs | PostgreSQL CPU µs | Redis CPU µs | wall µs, one caller |")
          .AppendLine("|---|---|---|---|---|---|");
        foreach (var s in stages)
        {
            md.AppendLine($"| {s.Name} | {s.What} | {s.ClientCpuUs:F1} | {s.PostgresCpuUs:F1} | {s.RedisCpuUs:F1} | {s.WallUs:F1} |");
        }
        var hot = stages.Where(s => s.Name != "store load").ToList();
        md.AppendLine($"| **a hot turn's stages** | all but the store load | **{hot.Sum(s => s.ClientCpuUs):F1}** | {hot.Sum(s => s.PostgresCpuUs):F1} | {hot.Sum(s => s.RedisCpuUs):F1} | {hot.Sum(s => s.WallUs):F1} |")
          .AppendLine()
          .AppendLine("A turn whose session is in the cache runs every stage but the store load. Set the client CPU of its stages beside the " +
                      "worker's CPU per turn in [performance.md](performance.md): the rest is the consume pipeline's (MassTransit's receive and " +
                      "deserialisation, the admission line, the reply's serialisation and send with its confirm, logging scopes, spans and metrics). " +
                      "Stages measured alone run with warm caches and no contention, so they are a lower bound of what they cost under load.");
        return md.ToString();
    }
}
