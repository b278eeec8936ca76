using SkillForge.Agent.Context;

namespace SkillForge.Agent.States;

/// <summary>
/// The working copy of one turn: the context as it changes and the path of states taken. State changes go through
/// <see cref="MoveTo"/> (checked against <see cref="AgentTransitions"/>); other changes through <see cref="Update"/>,
/// which may not touch the state, so the table stays the only way to move.
/// </summary>
internal sealed class ConversationTurn(SkillContext start)
{
    private readonly List<AgentState> _path = [start.State];

    public SkillContext Context { get; private set; } = start;

    public AgentState State => Context.State;

    public IReadOnlyList<AgentState> Path => _path;

    public void MoveTo(AgentState next)
    {
        if (!AgentTransitions.IsAllowed(Context.State, next))
        {
            throw new InvalidTransitionException(Context.State, next);
        }
        Context = Context with { State = next };
        _path.Add(next);
    }

    public void Update(Func<SkillContext, SkillContext> change)
    {
        var changed = change(Context);
        if (changed.State != Context.State)
        {
            throw new InvalidOperationException("Update may not change the state; use MoveTo so the transition table is checked.");
        }
        Context = changed;
    }

    public AgentTurnResult Finish(string reply) => new(reply, Context) { Path = [.. _path] };
}
