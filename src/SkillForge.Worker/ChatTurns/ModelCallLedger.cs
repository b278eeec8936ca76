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
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<Guid, (int Calls, DateTimeOffset First)> _turns = new();
    private readonly int _max = options.Value.MaxCallsPerTurn;

    /// <summary>Takes one of <paramref name="turnId"/>'s model calls; false when none is left.</summary>
    public bool TryTake(Guid turnId)
    {
        var now = clock.GetUtcNow();
        if (_turns.Count > PruneAbove)
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
