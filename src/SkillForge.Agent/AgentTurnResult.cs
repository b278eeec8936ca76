using SkillForge.Agent.Context;
using SkillForge.Agent.States;

namespace SkillForge.Agent;

/// <summary>The reply to send and the context to store after one turn.</summary>
public sealed record AgentTurnResult(string Reply, SkillContext Context)
{
    public bool IsCompleted => Context.State == AgentState.Completed;

    /// <summary>
    /// Every state the turn passed through, starting with the state it began in; each step is a row of
    /// <see cref="AgentTransitions"/>. Lets the caller audit transitions without re-deriving them.
    /// </summary>
    public IReadOnlyList<AgentState> Path { get; init; } = [Context.State];
}
