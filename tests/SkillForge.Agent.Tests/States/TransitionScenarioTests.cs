using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.States;
using SkillForge.Agent.Tests.Fakes;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.Tests.States;

/// <summary>
/// Every row of <see cref="AgentTransitions"/> is taken by a real agent turn: a scenario per conversation row, and
/// one shape each for the start-over and recovery rows that apply to many states.
/// </summary>
public class TransitionScenarioTests
{
    private static readonly ExistingSkill PrSummary = new("pr-summary", "Summarises pull requests for reviewers.");
    private const string PrRequest = "I want a skill that summarises pull requests";

    private sealed record Scenario(SkillContext Context, string Text, IReadOnlyList<ExistingSkill>? Existing = null, ISkillResponder? Responder = null);

    private static readonly Dictionary<(AgentState, AgentState), Scenario> Conversation = new()
    {
        [(Idle, IntentDetection)] = new(SkillContext.New(), "hello there!"),
        [(Idle, CheckingExisting)] = new(SkillContext.New(), PrRequest, [PrSummary]),
        [(Idle, GatheringPurpose)] = new(SkillContext.New(), PrRequest),
        [(IntentDetection, CheckingExisting)] = new(SkillContext.New() with { State = IntentDetection }, PrRequest, [PrSummary]),
        [(IntentDetection, GatheringPurpose)] = new(SkillContext.New() with { State = IntentDetection }, "a skill that writes release notes"),
        [(CheckingExisting, Completed)] = new(Offered(), "yes, use it"),
        [(CheckingExisting, GatheringPurpose)] = new(Offered(), "no, let's build a new one"),
        [(GatheringPurpose, GatheringDetails)] = new(SkillContext.New() with { State = GatheringPurpose, AwaitingAnswerFor = SpecFields.Purpose }, "summarise pull requests for reviewers"),
        [(GatheringDetails, ConfirmingSpec)] = new(Specs.Complete() with { Examples = [], AwaitingAnswerFor = SpecFields.Examples }, "Example: what changed in PR 7?"),
        [(ConfirmingSpec, Generating)] = new(Specs.Complete(ConfirmingSpec), "yes"),
        [(ConfirmingSpec, GatheringDetails)] = new(Specs.Complete(ConfirmingSpec), "no"),
        [(Generating, Validating)] = new(Specs.Complete(ConfirmingSpec), "yes"),
        [(Validating, SelectingStorage)] = new(Specs.Complete(ConfirmingSpec), "yes"),
        [(Validating, FixingErrors)] = new(Specs.Complete(ConfirmingSpec) with { SkillName = "PR Digest!" }, "yes"),
        [(Validating, Error)] = new(Specs.Unfixable(), "yes"),
        [(FixingErrors, Validating)] = new(Specs.Complete(ConfirmingSpec) with { SkillName = "PR Digest!" }, "yes"),
        [(SelectingStorage, Saving)] = new(Specs.Generated(), "yes, save it"),
        [(SelectingStorage, GatheringDetails)] = new(Specs.Generated(), "Rename it to pr-brief"),
        [(Saving, Completed)] = new(Specs.Generated(), "personal please"),
        [(Error, GatheringDetails)] = new(Specs.Unfixable(Error), "Name it pr-digest"),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Should_take_the_transition_in_a_real_turn(string from, string to)
    {
        Assert.True(AgentStateNames.TryParse(from, out var source));
        Assert.True(AgentStateNames.TryParse(to, out var target));
        var scenario = ScenarioFor(source, target);
        var agent = new SkillAgent(scenario.Responder ?? new InterviewResponder());

        var result = await agent.RespondAsync(Specs.Input(scenario.Text, scenario.Context, scenario.Existing), CancellationToken.None);

        var steps = result.Path.Zip(result.Path.Skip(1)).ToList();
        Assert.Contains((source, target), steps);
        Assert.All(steps, s => Assert.True(AgentTransitions.IsAllowed(s.First, s.Second), $"{s.First} -> {s.Second}"));
        Assert.Equal(result.Context.State, result.Path[^1]);
    }

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var t in AgentTransitions.All)
        {
            rows.Add(AgentStateNames.ToWire(t.From), AgentStateNames.ToWire(t.To));
        }
        return rows;
    }

    private static Scenario ScenarioFor(AgentState from, AgentState to)
    {
        if (Conversation.TryGetValue((from, to), out var scenario))
        {
            return scenario;
        }
        var row = AgentTransitions.All.Single(t => t.From == from && t.To == to);
        var context = Specs.Complete(from);
        return row.When switch
        {
            AgentTransitions.StartOverReason => new(context, "let's start over"),
            AgentTransitions.RecoveryReason => new(context, "anything", Responder: ScriptedResponder.Throwing()),
            _ => throw new InvalidOperationException($"No scenario for the conversation row {row}."),
        };
    }

    private static SkillContext Offered() => SkillContext.New() with
    {
        State = CheckingExisting,
        Purpose = "summarises pull requests",
        OfferedSkill = PrSummary,
    };
}
