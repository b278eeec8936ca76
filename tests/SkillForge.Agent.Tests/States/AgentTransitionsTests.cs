using SkillForge.Agent.Context;
using SkillForge.Agent.States;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.Tests.States;

public class AgentTransitionsTests
{
    [Fact]
    public void Should_reach_every_state_from_idle()
    {
        var reached = new HashSet<AgentState> { Idle };
        var frontier = new Queue<AgentState>([Idle]);
        while (frontier.TryDequeue(out var state))
        {
            foreach (var next in AgentTransitions.From(state).Where(reached.Add))
            {
                frontier.Enqueue(next);
            }
        }
        Assert.Equal(Enum.GetValues<AgentState>().ToHashSet(), reached);
    }

    [Theory]
    [MemberData(nameof(NonTerminalStates))]
    public void Should_leave_no_state_stuck(AgentState state)
    {
        // Every state other than completed has a way out, and completed is reachable from it.
        Assert.NotEmpty(AgentTransitions.From(state));
        Assert.True(CanReach(state, Completed), $"{AgentStateNames.ToWire(state)} cannot reach completed");
    }

    [Fact]
    public void Should_make_completed_terminal()
    {
        Assert.Empty(AgentTransitions.From(Completed));
        Assert.True(AgentTransitions.IsTerminal(Completed));
        Assert.Equal([Completed], Enum.GetValues<AgentState>().Where(AgentTransitions.IsTerminal));
    }

    [Fact]
    public void Should_let_error_recover_to_gathering_details_or_start_over()
    {
        Assert.True(AgentTransitions.IsAllowed(Error, GatheringDetails));
        Assert.True(AgentTransitions.IsAllowed(Error, Idle));
    }

    [Theory]
    [MemberData(nameof(NonTerminalStates))]
    public void Should_let_every_non_terminal_state_recover_to_gathering_details(AgentState state)
    {
        Assert.True(state == GatheringDetails || AgentTransitions.IsAllowed(state, GatheringDetails));
    }

    [Fact]
    public void Should_hold_the_design_transitions()
    {
        (AgentState, AgentState)[] design =
        [
            (Idle, CheckingExisting), (Idle, GatheringPurpose), (CheckingExisting, Completed), (CheckingExisting, GatheringPurpose),
            (GatheringPurpose, GatheringDetails), (GatheringDetails, ConfirmingSpec), (ConfirmingSpec, Generating),
            (ConfirmingSpec, GatheringDetails), (Generating, Validating), (Validating, SelectingStorage), (Validating, FixingErrors),
            (Validating, Error), (FixingErrors, Validating), (SelectingStorage, Saving), (Saving, Completed), (Error, Idle), (Error, GatheringDetails),
        ];
        Assert.All(design, t => Assert.True(AgentTransitions.IsAllowed(t.Item1, t.Item2), $"{t.Item1} -> {t.Item2}"));
    }

    [Fact]
    public void Should_forbid_shortcuts_the_design_does_not_have()
    {
        Assert.False(AgentTransitions.IsAllowed(Idle, Completed));
        Assert.False(AgentTransitions.IsAllowed(GatheringDetails, Generating));
        Assert.False(AgentTransitions.IsAllowed(ConfirmingSpec, SelectingStorage));
        Assert.False(AgentTransitions.IsAllowed(Generating, SelectingStorage));
        Assert.False(AgentTransitions.IsAllowed(SelectingStorage, Completed));
        Assert.False(AgentTransitions.IsAllowed(Completed, Idle));
    }

    [Fact]
    public void Should_list_each_transition_once_with_a_reason()
    {
        var rows = AgentTransitions.All;
        Assert.Equal(rows.Count, rows.Select(t => (t.From, t.To)).Distinct().Count());
        Assert.All(rows, t => Assert.False(string.IsNullOrWhiteSpace(t.When)));
        Assert.All(rows, t => Assert.NotEqual(t.From, t.To));
    }

    [Fact]
    public void Should_refuse_a_move_outside_the_table()
    {
        var turn = new ConversationTurn(SkillContext.New());
        var refused = Assert.Throws<InvalidTransitionException>(() => turn.MoveTo(Completed));
        Assert.Contains("'idle' to 'completed'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Idle, turn.State);
    }

    [Fact]
    public void Should_refuse_a_state_change_through_update()
    {
        var turn = new ConversationTurn(SkillContext.New());
        Assert.Throws<InvalidOperationException>(() => turn.Update(c => c with { State = Completed }));
    }

    public static TheoryData<AgentState> NonTerminalStates() => [.. Enum.GetValues<AgentState>().Where(s => s != Completed)];

    private static bool CanReach(AgentState from, AgentState target)
    {
        var seen = new HashSet<AgentState> { from };
        var frontier = new Queue<AgentState>([from]);
        while (frontier.TryDequeue(out var state))
        {
            if (state == target)
            {
                return true;
            }
            foreach (var next in AgentTransitions.From(state).Where(seen.Add))
            {
                frontier.Enqueue(next);
            }
        }
        return false;
    }
}
