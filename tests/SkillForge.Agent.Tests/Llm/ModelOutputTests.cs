using SkillForge.Agent.Context;
using SkillForge.Agent.Llm;
using SkillForge.Agent.States;
using SkillForge.Agent.Tests.Fakes;

namespace SkillForge.Agent.Tests.Llm;

/// <summary>Model output is untrusted input: cleaned, capped, and never able to make a turn unstorable.</summary>
public class ModelOutputTests
{
    private static SkillAgent AgentOver(FakeChatClient chat) => new(new ChatClientResponder(chat, new AgentLlmOptions()));

    [Fact]
    public async Task Should_keep_only_the_latest_asked_questions_however_many_the_model_asks()
    {
        var asked = Enumerable.Range(1, ModelOutput.MaxAskedQuestions).Select(i => $"Question number {i} about topic {i}?").ToList();
        var context = Specs.Complete() with { SkillName = null, AskedQuestions = asked };
        var chat = FakeChatClient.Answering("""
            {"reply": "What should we call it?", "next_state": "gathering_details", "question": "Completely different wording for naming it?", "fields": {}}
            """);

        var result = await AgentOver(chat).RespondAsync(Specs.Input("no idea", context), CancellationToken.None);

        Assert.Equal(ModelOutput.MaxAskedQuestions, result.Context.AskedQuestions.Count);
        Assert.Equal("Completely different wording for naming it?", result.Context.AskedQuestions[^1]);
        Assert.DoesNotContain(asked[0], result.Context.AskedQuestions);
    }

    [Fact]
    public void Should_remove_control_characters_and_broken_surrogates_and_cap_without_splitting_a_pair()
    {
        Assert.Equal("ab c\uFFFDd", ModelOutput.Text("a\0b\nc\uD800d\u001b", 100));
        Assert.Equal("line\nnext\ttab", ModelOutput.Text("line\r\nnext\ttab", 100, keepLineBreaks: true));
        Assert.Equal("ab", ModelOutput.Text("ab\uD83D\uDE00", 3)); // the emoji's pair would not fit whole
        Assert.Equal("ab\uD83D\uDE00", ModelOutput.Text("ab\uD83D\uDE00", 4));
    }

    [Fact]
    public async Task Should_take_the_recovery_path_when_a_result_cannot_be_stored()
    {
        var agent = new SkillAgent(ScriptedResponder.Returning(input =>
            new AgentTurnResult("a reply with a NUL\0 in it", input.Context with { State = AgentState.GatheringPurpose })
            {
                Path = [AgentState.Idle, AgentState.GatheringPurpose],
            }));

        var result = await agent.RespondAsync(Specs.Input("I want a skill that formats SQL", SkillContext.New()), CancellationToken.None);

        Assert.Equal(AgentState.GatheringDetails, result.Context.State);
        Assert.DoesNotContain('\0', result.Reply);
        Assert.Contains("Nothing is lost", result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_not_call_the_model_when_the_turn_has_used_up_its_calls()
    {
        var chat = FakeChatClient.Answering(LlmAnswers.AskName);
        var input = Specs.Input("a skill for PR summaries", SkillContext.New()) with { MayCallModel = false };

        var result = await AgentOver(chat).RespondAsync(input, CancellationToken.None);

        Assert.Empty(chat.Calls);
        Assert.False(string.IsNullOrWhiteSpace(result.Reply));
    }
}
