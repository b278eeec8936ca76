namespace SkillForge.Agent.States;

/// <summary>A responder tried a move that is not a row of <see cref="AgentTransitions"/>; the agent recovers from it like any fault.</summary>
public sealed class InvalidTransitionException(AgentState from, AgentState to)
    : InvalidOperationException($"The agent cannot move from '{AgentStateNames.ToWire(from)}' to '{AgentStateNames.ToWire(to)}': no such transition.")
{
    public AgentState From { get; } = from;
    public AgentState To { get; } = to;
}
