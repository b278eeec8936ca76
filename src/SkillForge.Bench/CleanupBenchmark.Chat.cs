using System.Diagnostics;
using SkillForge.Client;
using SkillForge.Sessions.Retention;
using SkillForge.Sessions.Storage;

namespace SkillForge.Bench;

/// <summary>The chat load: turns written by this process or sent through the real worker, paced at a rate.</summary>
internal static partial class CleanupBenchmark
{
    /// <summary>Measures chat turns for a phase (its name, when it ends, the turns a second) and gives their latencies.</summary>
    private delegate Task<LatencyRecorder> Chat(string phase, Task until, int turnsPerSecond);

    /// <summary>
    /// What a chat turn does to PostgreSQL, written by this process: load the session, append a turn. Each turn is
    /// recorded in <paramref name="turns"/> as the worker's consumer records its own, for the purge to pace itself by.
    /// </summary>
    private static Chat StoreChat(SessionStore store, ChatLatencies turns) => (phase, until, rate) => PacedAsync(until, rate, w =>
    {
        var key = new SessionKey($"bench-live-{w}", $"{phase}-{Guid.NewGuid():N}");
        var version = 0L;
        return async () =>
        {
            var started = Stopwatch.GetTimestamp();
            await store.LoadAsync(key, CancellationToken.None);
            var result = await store.AppendTurnAsync(new TurnToAppend
            {
                Key = key, TurnId = Guid.NewGuid(), ExpectedVersion = version, UserText = "a user message of ordinary length",
                Reply = "an assistant reply of ordinary length, a little longer than the question",
                PreviousState = "gathering_details", State = "gathering_details", Status = SessionStatus.Active,
                ContextJson = """{"schema_version":1}""", At = DateTimeOffset.UtcNow,
            }, CancellationToken.None);
            version = result.Version;
            turns.Record(started);
        };
    });

    /// <summary>Chat turns as users send them, through the broker and the real worker; a conversation of 20 turns, then the next.</summary>
    private static Chat WorkerChat(SkillForgeClient client) => (phase, until, rate) => PacedAsync(until, rate, w =>
    {
        var conversation = $"{phase}-{w}-{Guid.NewGuid():N}";
        var n = 0L;
        return async () =>
        {
            var result = await client.SendTurnAsync("bench-live", $"{conversation}-{n / 20}", $"Here is detail number {n} of my skill");
            n++;
            if (!result.IsReplied)
            {
                throw new InvalidOperationException($"A benchmark turn was rejected: {result.Rejected?.Reason}");
            }
        };
    });

    /// <param name="turnsPerSecond">
    /// The writers' total rate, paced (open loop, as users send turns: not faster because PostgreSQL has room), with
    /// each turn's latency counted from when it was due, so a stall also counts for the turns it delayed.
    /// </param>
    /// <param name="newWriter">Writer w's turn, called once per turn; each writer keeps its own session(s).</param>
    private static async Task<LatencyRecorder> PacedAsync(Task until, int turnsPerSecond, Func<int, Func<Task>> newWriter)
    {
        var recorder = new LatencyRecorder();
        using var stop = new CancellationTokenSource();
        var interval = (long)(Stopwatch.Frequency * (double)Writers / turnsPerSecond);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var turn = newWriter(w);
            var due = Stopwatch.GetTimestamp() + interval * w / Writers;
            while (!stop.IsCancellationRequested)
            {
                if (due > Stopwatch.GetTimestamp())
                {
                    await Task.Delay(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due));
                }
                await turn();
                recorder.Record(due);
                due += interval;
            }
        })).ToList();
        await until;
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        return recorder;
    }

    /// <param name="Breakdown">Where the purge's time went, as far as the benchmark can see it.</param>
}
