using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SkillForge.Agent.Llm;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Counts, per turn, how often this process let the agent call the model: a version race or a retry computes the
/// turn again, and each computation could call it. Past <see cref="AgentLlmOptions.MaxCallsPerTurn"/> the turn is
/// computed without the model. A turn redelivered to another process starts counting afresh there.
/// </summary>
public sealed class ModelCallLedger(IOptions<AgentLlmOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, (int Calls, DateTimeOffset First)> _turns = new();
    private readonly int _max = options.Value.MaxCallsPerTurn;
    private long _nextPruneTicks;

    /// <summary>Takes one of <paramref name="turnId"/>'s model calls; false when none is left.</summary>
    public bool TryTake(Guid turnId)
    {
        var now = clock.GetUtcNow();
        // Forgetting old turns walks the whole map: once a minute, by the one caller that wins the swap, not per turn
        // (at a few hundred turns a second the map holds a hundred thousand of them).
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now.UtcTicks >= due && Interlocked.CompareExchange(ref _nextPruneTicks, (now + PruneEvery).UtcTicks, due) == due)
        {
            foreach (var old in _turns.Where(t => now - t.Value.First > Remembered))
            {
                _turns.TryRemove(old);
            }
        }
        var entry = _turns.AddOrUpdate(turnId, _ => (1, now), (_, e) => (e.Calls + 1, e.First));
        return entry.Calls <= _max;
    }
}
