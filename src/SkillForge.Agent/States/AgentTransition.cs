namespace SkillForge.Agent.States;

/// <summary>One row of the transition table: the agent may move from <paramref name="From"/> to <paramref name="To"/> when <paramref name="When"/>.</summary>
public sealed record AgentTransition(AgentState From, AgentState To, string When)
{
    public override string ToString() => $"{AgentStateNames.ToWire(From)} -> {AgentStateNames.ToWire(To)}: {When}";
}
