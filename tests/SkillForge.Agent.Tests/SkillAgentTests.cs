using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.States;
using SkillForge.Agent.Tests.Fakes;

namespace SkillForge.Agent.Tests;

public class SkillAgentTests
{
    [Theory]
    [InlineData(AgentState.Idle)]
    [InlineData(AgentState.GatheringDetails)]
    [InlineData(AgentState.ConfirmingSpec)]
    [InlineData(AgentState.SelectingStorage)]
    [InlineData(AgentState.Error)]
    public async Task Should_recover_to_gathering_details_keeping_everything_when_the_responder_throws(AgentState state)
    {
        var context = SkillContextSerializer.Deserialize("""{"future":{"a":1}}""") with { AskedQuestions = ["What should we call it?"] };
        context = context with { State = state, SkillName = "pr-digest", Purpose = "summarise pull requests", WorkflowSteps = ["Fetch the diff"] };
        var agent = new SkillAgent(ScriptedResponder.Throwing(new InvalidOperationException("kaput")));

        var result = await agent.RespondAsync(Specs.Input("hmm", context), CancellationToken.None);

        Assert.Equal(AgentState.GatheringDetails, result.Context.State);
        Assert.Contains("sorry", result.Reply, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Nothing is lost", result.Reply, StringComparison.Ordinal);
        var kept = result.Context with { State = state, AwaitingAnswerFor = null, AskedQuestions = context.AskedQuestions };
        Assert.Equal(SkillContextSerializer.Serialize(context), SkillContextSerializer.Serialize(kept));
    }

    [Fact]
    public async Task Should_keep_the_facts_of_the_failed_message()
    {
        var agent = new SkillAgent(ScriptedResponder.Throwing());
        var context = SkillContext.New() with { State = AgentState.GatheringDetails, Purpose = "summarise pull requests" };

        var result = await agent.RespondAsync(Specs.Input("Name it pr-digest. Steps: fetch the diff, summarise it", context), CancellationToken.None);

        Assert.Equal(AgentState.GatheringDetails, result.Context.State);
        Assert.Equal("pr-digest", result.Context.SkillName);
        Assert.Equal(["fetch the diff", "summarise it"], result.Context.WorkflowSteps);
        Assert.Contains("including what you just said", result.Reply, StringComparison.Ordinal);
        // and goes on with the interview: the next missing field's question, recorded so it is not asked twice
        Assert.Contains(InterviewQuestions.Primary(SpecFields.Description), result.Reply, StringComparison.Ordinal);
        Assert.Contains(InterviewQuestions.Primary(SpecFields.Description), result.Context.AskedQuestions);
    }

    [Fact]
    public async Task Should_treat_an_illegal_move_of_a_responder_as_a_failure()
    {
        var agent = new SkillAgent(ScriptedResponder.Returning(input => new AgentTurnResult("done!", input.Context with { State = AgentState.Completed })));

        var result = await agent.RespondAsync(Specs.Input("hi", SkillContext.New()), CancellationToken.None);

        Assert.Equal(AgentState.GatheringDetails, result.Context.State);
        Assert.Equal([AgentState.Idle, AgentState.GatheringDetails], result.Path);
    }

    [Fact]
    public async Task Should_treat_an_empty_reply_as_a_failure()
    {
        var agent = new SkillAgent(ScriptedResponder.Returning(input => new AgentTurnResult(" ", input.Context)));

        var result = await agent.RespondAsync(Specs.Input("hi", Specs.Complete()), CancellationToken.None);

        Assert.Contains("sorry", result.Reply, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Should_let_the_callers_cancellation_through()
    {
        using var cancel = new CancellationTokenSource();
        var agent = new SkillAgent(new ScriptedResponder(async (_, token) =>
        {
            await cancel.CancelAsync();
            token.ThrowIfCancellationRequested();
            throw new InvalidOperationException("unreachable");
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => agent.RespondAsync(Specs.Input("hi", SkillContext.New()), cancel.Token));
    }

    [Fact]
    public async Task Should_answer_a_completed_session_without_changing_it()
    {
        var agent = new SkillAgent(ScriptedResponder.Throwing());
        var done = Specs.Generated(AgentState.Completed);

        var result = await agent.RespondAsync(Specs.Input("one more thing", done), CancellationToken.None);

        Assert.Same(done, result.Context);
        Assert.Contains("already complete", result.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AgentState.Error, "start over")]
    [InlineData(AgentState.Error, "Let's start again")]
    [InlineData(AgentState.GatheringDetails, "can we restart?")]
    [InlineData(AgentState.SelectingStorage, "scrap it, start from scratch")]
    public async Task Should_start_over_with_a_fresh_context_at_idle(AgentState state, string text)
    {
        var agent = new SkillAgent(new InterviewResponder());

        var result = await agent.RespondAsync(Specs.Input(text, Specs.Unfixable(state)), CancellationToken.None);

        Assert.Equal(AgentState.Idle, result.Context.State);
        Assert.Null(result.Context.SkillName);
        Assert.Empty(result.Context.WorkflowSteps);
        Assert.Equal([state, AgentState.Idle], result.Path);
        Assert.Contains("start fresh", result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_not_take_a_long_message_that_mentions_starting_over_as_a_command()
    {
        var agent = new SkillAgent(new InterviewResponder());
        var context = Specs.Complete() with { WorkflowSteps = [], AwaitingAnswerFor = SpecFields.WorkflowSteps };

        var result = await agent.RespondAsync(Specs.Input("Steps: run the tests, and if they fail start over from the first failing test", context), CancellationToken.None);

        Assert.NotEqual(AgentState.Idle, result.Context.State);
        Assert.Equal("pr-digest", result.Context.SkillName);
    }
}
