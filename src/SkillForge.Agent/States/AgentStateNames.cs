using System.Collections.Frozen;
using System.Text.Json;

namespace SkillForge.Agent.States;

/// <summary>The snake_case wire names of <see cref="AgentState"/> (<c>gathering_details</c>, …) used by contracts and storage.</summary>
public static class AgentStateNames
{
    private static readonly FrozenDictionary<AgentState, string> WireNames =
        Enum.GetValues<AgentState>().ToFrozenDictionary(s => s, s => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString()));

    private static readonly FrozenDictionary<string, AgentState> States =
        WireNames.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => WireNames.Values;

    public static string ToWire(AgentState state) =>
        WireNames.TryGetValue(state, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(state), state, "Not an agent state.");

    /// <summary>Exact snake_case names only: the wire is written by <see cref="ToWire"/>, so anything else is foreign.</summary>
    public static bool TryParse(string? wire, out AgentState state) => States.TryGetValue(wire ?? "", out state);
}
