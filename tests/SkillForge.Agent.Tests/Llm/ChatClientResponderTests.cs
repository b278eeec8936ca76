using Microsoft.Extensions.AI;
using SkillForge.Agent.Context;
using SkillForge.Agent.Llm;
using SkillForge.Agent.SkillMd;
using SkillForge.Agent.States;
using SkillForge.Agent.Tests.Fakes;
using Xunit.Abstractions;

namespace SkillForge.Agent.Tests.Llm;

public class ChatClientResponderTests(ITestOutputHelper output)
{
    private static SkillAgent AgentOver(FakeChatClient chat, AgentLlmOptions? options = null) =>
        new(new ChatClientResponder(chat, options ?? new AgentLlmOptions()));

    [Fact]
    public async Task Should_hold_a_whole_conversation_to_completed()
    {
        var chat = FakeChatClient.Answering(LlmAnswers.AllFacts, LlmAnswers.Generate, LlmAnswers.Save);
        var conversation = new Conversation(AgentOver(chat));

        await conversation.RunAsync("I want a skill that summarises pull requests for reviewers, call it PR digest ...", "yes", "personal");
        output.WriteLine(conversation.Transcript);

        Assert.True(conversation.Last.IsCompleted);
        Assert.Equal("pr-digest", conversation.Context.SkillName);
        Assert.Equal(StorageLayers.Personal, conversation.Context.StorageLayer);
        Assert.Equal(["someone asks what a PR changes"], conversation.Context.Triggers);
        Assert.True(SkillMdValidator.Validate(conversation.Context.GeneratedSkillMd).IsValid);
        Assert.Equal([AgentState.Idle, AgentState.GatheringPurpose, AgentState.GatheringDetails, AgentState.ConfirmingSpec], conversation.Turns[0].Path);
        Assert.Contains("```markdown", conversation.Turns[1].Reply, StringComparison.Ordinal);
        Assert.Equal(3, chat.Calls.Count);
    }

    [Fact]
    public async Task Should_show_the_model_only_the_prompt_the_summary_and_the_window()
    {
        var chat = FakeChatClient.Answering(LlmAnswers.AskName);
        var responder = new ChatClientResponder(chat, new AgentLlmOptions { WindowMessages = 4 });
        var window = Enumerable.Range(1, 30)
            .Select(i => new ConversationMessage(i % 2 == 1 ? ConversationMessage.User : ConversationMessage.Assistant, $"message {i}"))
            .ToList();
        var context = Specs.Complete() with { SkillName = null };

        await responder.RespondAsync(new AgentTurnInput("the latest", context, window, []), CancellationToken.None);

        var sent = Assert.Single(chat.Calls);
        Assert.Equal(2 + 4 + 1, sent.Count);
        Assert.Equal(ChatRole.System, sent[0].Role);
        Assert.Contains("Answer with ONE JSON object", sent[0].Text, StringComparison.Ordinal);
        // What users and the model wrote never rides in a system message: the summary is user-role, marked as data.
        Assert.Equal(ChatRole.User, sent[1].Role);
        Assert.StartsWith("The conversation's state as the system tracks it.", sent[1].Text, StringComparison.Ordinal);
        Assert.EndsWith("</conversation_state>", sent[1].Text, StringComparison.Ordinal);
        Assert.Single(sent, m => m.Role == ChatRole.System);
        Assert.Contains("state: gathering_details", sent[1].Text, StringComparison.Ordinal);
        Assert.Contains("allowed_next_states: [\"gathering_details\", \"confirming_spec\"]", sent[1].Text, StringComparison.Ordinal);
        Assert.Contains("\"purpose\":\"summarise pull requests for reviewers\"", sent[1].Text, StringComparison.Ordinal);
        Assert.Contains("missing: [\"name\"]", sent[1].Text, StringComparison.Ordinal);
        Assert.Equal(["message 27", "message 28", "message 29", "message 30"], sent.Skip(2).Take(4).Select(m => m.Text));
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant], sent.Skip(2).Take(4).Select(m => m.Role));
        Assert.Equal("the latest", sent[^1].Text);
        Assert.Equal(ChatResponseFormat.Json, chat.LastOptions?.ResponseFormat);
    }

    [Fact]
    public async Task Should_take_a_suggestion_the_table_allows_and_read_a_fenced_answer()
    {
        var chat = FakeChatClient.Answering(LlmAnswers.AskName);

        var result = await AgentOver(chat).RespondAsync(Specs.Input("a skill for PR summaries", SkillContext.New()), CancellationToken.None);

        Assert.Equal([AgentState.Idle, AgentState.GatheringPurpose, AgentState.GatheringDetails], result.Path);
        Assert.Equal("Nice idea! What should we call it?", result.Reply);
        Assert.Equal("summarise pull requests", result.Context.Purpose);
        Assert.Equal(["What should we call it?"], result.Context.AskedQuestions);
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("generating")]
    [InlineData("confirming_spec")]
    [InlineData("no_such_state")]
    public async Task Should_let_the_interview_decide_when_the_suggestion_is_not_allowed(string suggested)
    {
        var chat = FakeChatClient.Answering(LlmAnswers.Suggesting(suggested));
        var context = Specs.Complete() with { Examples = [] };

        var result = await AgentOver(chat).RespondAsync(Specs.Input("hmm", context), CancellationToken.None);

        Assert.Equal(AgentState.GatheringDetails, result.Context.State);
        Assert.Contains("example", result.Reply, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Should_offer_an_existing_skill_without_asking_the_model()
    {
        var chat = new FakeChatClient();
        var existing = new ExistingSkill("pr-summary", "Summarises pull requests.");

        var result = await AgentOver(chat).RespondAsync(Specs.Input("a skill that summarises pull requests", SkillContext.New(), [existing]), CancellationToken.None);

        Assert.Equal(AgentState.CheckingExisting, result.Context.State);
        Assert.Empty(chat.Calls);
    }

    [Theory]
    [InlineData("exception")]
    [InlineData("empty")]
    [InlineData("null")]
    [InlineData("prose")]
    [InlineData("broken json")]
    [InlineData("wrong shape")]
    [InlineData("no reply")]
    [InlineData("timeout")]
    [InlineData("timeout ignoring cancellation")]
    public async Task Should_move_to_gathering_details_keep_everything_and_apologise_when_the_model_fails(string failure)
    {
        var chat = failure switch
        {
            "exception" => new FakeChatClient().ThenThrow(new HttpRequestException("connection refused")),
            "empty" => new FakeChatClient().Then(""),
            "null" => new FakeChatClient().Then(null),
            "prose" => new FakeChatClient().Then("Sure! Let me think about that."),
            "broken json" => new FakeChatClient().Then("{\"reply\": \"hi\", \"fields\": "),
            "wrong shape" => new FakeChatClient().Then("{\"reply\": \"hi\", \"fields\": {\"examples\": \"one\"}}"),
            "no reply" => new FakeChatClient().Then("{\"next_state\": \"gathering_details\"}"),
            "timeout" => new FakeChatClient().ThenHang(),
            _ => new FakeChatClient().ThenHang(honourCancellation: false),
        };
        var agent = AgentOver(chat, new AgentLlmOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        var context = Specs.Complete(AgentState.ConfirmingSpec) with { Examples = [] };

        var result = await agent.RespondAsync(Specs.Input("Example: what changed in PR 9?", context), CancellationToken.None);

        Assert.Equal(AgentState.GatheringDetails, result.Context.State);
        Assert.Equal(context.SkillName, result.Context.SkillName);
        Assert.Equal(context.WorkflowSteps, result.Context.WorkflowSteps);
        Assert.Equal(["what changed in PR 9?"], result.Context.Examples);
        Assert.StartsWith("I'm sorry — the language model didn't give me a usable answer", result.Reply, StringComparison.Ordinal);
        Assert.Contains("including what you just said", result.Reply, StringComparison.Ordinal);
        Assert.Contains("say **yes**", result.Reply, StringComparison.Ordinal);
        Assert.Single(chat.Calls);
        output.WriteLine($"{failure}: {result.Reply}");
    }

    [Fact]
    public async Task Should_ask_the_next_question_after_a_failure()
    {
        var chat = new FakeChatClient().ThenThrow(new InvalidOperationException("model overloaded"));
        var context = SkillContext.New() with { State = AgentState.GatheringDetails, Purpose = "summarise pull requests" };

        var result = await AgentOver(chat).RespondAsync(Specs.Input("hmm", context), CancellationToken.None);

        Assert.Equal(AgentState.GatheringDetails, result.Context.State);
        Assert.Contains("What should we call it?", result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_let_the_callers_cancellation_through()
    {
        var chat = new FakeChatClient().ThenHang();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AgentOver(chat).RespondAsync(Specs.Input("hi", Specs.Complete()), cancel.Token));
    }
}
