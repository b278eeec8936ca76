using System.Collections.Frozen;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.States;

/// <summary>
/// The one table of allowed state changes. Responders move only through
/// <see cref="ConversationTurn.MoveTo"/>, which checks this table, so no other code can invent a transition.
/// Staying in a state is not a transition and needs no row.
/// </summary>
public static class AgentTransitions
{
    public const string StartOverReason = "the user asks to start over: a fresh context in the same session";
    public const string RecoveryReason = "any exception while handling the turn: everything gathered is kept";

    /// <summary>Every row, conversation rows first, then the start-over and recovery rows that apply to many states.</summary>
    public static IReadOnlyList<AgentTransition> All { get; } = Build();

    private static readonly FrozenDictionary<AgentState, FrozenSet<AgentState>> Next = All
        .GroupBy(t => t.From)
        .ToFrozenDictionary(g => g.Key, g => g.Select(t => t.To).ToFrozenSet());

    public static bool IsAllowed(AgentState from, AgentState to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    public static IReadOnlySet<AgentState> From(AgentState state) =>
        Next.TryGetValue(state, out var next) ? next : FrozenSet<AgentState>.Empty;

    /// <summary>Completed is the only state without a way out: the worker closes the session.</summary>
    public static bool IsTerminal(AgentState state) => From(state).Count == 0;

    /// <summary>States in which a turn ends and the agent waits for the user; the others are passed through within a turn.</summary>
    public static bool WaitsForUser(AgentState state) => state is not (Generating or Validating or FixingErrors or Saving);

    private static AgentTransition[] Build()
    {
        AgentTransition[] conversation =
        [
            new(Idle, IntentDetection, "the first message asks for no skill yet (a greeting, small talk)"),
            new(Idle, CheckingExisting, "a completed skill of the tenant shares two or more keywords with the request"),
            new(Idle, GatheringPurpose, "the first message asks for a new skill"),
            new(IntentDetection, CheckingExisting, "the request matches a completed skill of the tenant (two or more keywords)"),
            new(IntentDetection, GatheringPurpose, "the user now asks for a new skill"),
            new(CheckingExisting, Completed, "the user takes the existing skill"),
            new(CheckingExisting, GatheringPurpose, "the user wants a new skill after all"),
            new(GatheringPurpose, GatheringDetails, "the purpose is known"),
            new(GatheringDetails, ConfirmingSpec, "enough is known or inferred (at most two inference rounds)"),
            new(ConfirmingSpec, Generating, "the user confirms the summary"),
            new(ConfirmingSpec, GatheringDetails, "the user corrects or adds something"),
            new(Generating, Validating, "the SKILL.md is written"),
            new(Validating, SelectingStorage, "the SKILL.md is valid"),
            new(Validating, FixingErrors, "the SKILL.md is invalid and fix attempts remain (3)"),
            new(Validating, Error, "the SKILL.md is still invalid after every fix attempt"),
            new(FixingErrors, Validating, "a fix was applied and the SKILL.md rewritten"),
            new(SelectingStorage, Saving, "the user confirms or names a storage layer"),
            new(SelectingStorage, GatheringDetails, "the user changes the spec instead"),
            new(Saving, Completed, "the skill is recorded in the context; the worker stores it with the session"),
            new(Error, GatheringDetails, "any message other than start over: gather more and try again"),
        ];

        var startOver = Enum.GetValues<AgentState>()
            .Where(s => s is not (Idle or Completed))
            .Select(s => new AgentTransition(s, Idle, StartOverReason));

        var recovery = Enum.GetValues<AgentState>()
            .Where(s => s is not Completed)
            .Where(s => s != GatheringDetails && !conversation.Any(t => t.From == s && t.To == GatheringDetails))
            .Select(s => new AgentTransition(s, GatheringDetails, RecoveryReason));

        return [.. conversation, .. startOver, .. recovery];
    }
}
