using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.SkillMd;
using SkillForge.Agent.States;
using Xunit.Abstractions;

namespace SkillForge.Agent.Tests.Interview;

/// <summary>
/// Issue #4: a user who gives the facts and answers "yes" to each confirmation reaches completed in at most 10 turns,
/// with a valid SKILL.md, and is never asked the same question twice.
/// </summary>
public class InterviewConversationTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, string[]> Scripts() => new()
    {
        {
            "one fact per turn", "pr-digest",
            [
                "Hi! I'd like a skill that summarises pull requests for our reviewers.",
                "Call it pr-digest.",
                "Description: Summarises a pull request into a short digest for reviewers.",
                "Steps: fetch the diff, group the changes by area, write a five-line summary",
                "Use it when someone asks what a PR changes or pastes a pull request link.",
                "Example: \"What does PR #42 change?\"",
                "yes",
                "yes",
            ]
        },
        {
            "everything at once", "release-notes",
            [
                "I want a skill called release-notes that writes release notes from merged PRs. Description: Drafts release notes from the PRs merged since the last tag. Steps: list merged PRs, group them by label, write the notes. Use it when someone prepares a release. Example: \"Write the release notes for v2.3\"",
                "yes",
                "sure, save it",
            ]
        },
        {
            "bare answers to questions", "meeting-actions",
            [
                "I need something that turns meeting notes into action items",
                "meeting-actions",
                "Turns raw meeting notes into a tidy list of action items with owners.",
                "read the notes, find decisions and tasks, assign owners, then post the list",
                "after a meeting, when someone pastes their notes",
                "\"Here are my notes from standup, what are the action items?\"",
                "looks good",
                "yes",
            ]
        },
        {
            "leaves things to the agent", "review-terraform-plans",
            [
                "hello",
                "a skill to review Terraform plans for risky changes",
                "you decide",
                "no idea, you pick",
                "Steps: run terraform plan, list destroyed resources, flag risky changes",
                "up to you",
                "skip",
                "yes",
                "project",
            ]
        },
        {
            "corrects the summary", "pr-brief",
            [
                "Create a skill that summarises pull requests. Name it pr-digest. Description: Summarises a PR for reviewers. Steps: fetch the diff, summarise it. Use it when someone asks about a PR. Example: summarise PR 7",
                "Rename it to pr-brief",
                "yes",
                "yes",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Should_reach_completed_within_ten_turns_with_a_valid_skill_md(string script, string expectedName, string[] lines)
    {
        var conversation = await Conversation.WithInterview().RunAsync(lines);
        output.WriteLine($"--- {script} ---\n{conversation.Transcript}");

        Assert.True(conversation.Last.IsCompleted, $"'{script}' ended in {AgentStateNames.ToWire(conversation.Context.State)}");
        Assert.True(conversation.TurnCount <= 10, $"'{script}' took {conversation.TurnCount} turns");
        Assert.Equal(expectedName, conversation.Context.SkillName);
        var validation = SkillMdValidator.Validate(conversation.Context.GeneratedSkillMd);
        Assert.True(validation.IsValid, string.Join("; ", validation.Errors));
        Assert.Equal(expectedName, validation.Name);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Should_never_ask_a_question_twice(string script, string expectedName, string[] lines)
    {
        var conversation = await Conversation.WithInterview().RunAsync(lines);

        var asked = conversation.Context.AskedQuestions;
        for (var i = 0; i < asked.Count; i++)
        {
            Assert.False(QuestionOverlap.WasAsked(asked[i], asked.Take(i)), $"'{script}' asked again: {asked[i]}");
        }
        Assert.Equal(expectedName, conversation.Context.SkillName);
    }

    [Fact]
    public async Task Should_quote_back_what_it_understood()
    {
        var conversation = Conversation.WithInterview();

        var opening = await conversation.SayAsync("I'd like a skill that summarises pull requests for our reviewers.");
        var named = await conversation.SayAsync("Call it pr-digest.");
        var steps = await conversation.SayAsync("Steps: fetch the diff, group the changes, write a summary");

        Assert.Contains("a skill that summarises pull requests for our reviewers", opening.Reply, StringComparison.Ordinal);
        Assert.Contains("`pr-digest` it is", named.Reply, StringComparison.Ordinal);
        Assert.Contains("Three steps: fetch the diff → group the changes → write a summary", steps.Reply, StringComparison.Ordinal);
        Assert.Contains("How about `summarise-pull-requests`?", opening.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_summarise_the_spec_before_generating()
    {
        var conversation = Conversation.WithInterview();

        var summary = await conversation.SayAsync("I want a skill called pr-digest that summarises pull requests. Description: Summarises a PR. Steps: fetch the diff, summarise it. Use it when someone asks about a PR. Example: summarise PR 7");

        Assert.Equal(AgentState.ConfirmingSpec, summary.Context.State);
        Assert.Equal([AgentState.Idle, AgentState.GatheringPurpose, AgentState.GatheringDetails, AgentState.ConfirmingSpec], summary.Path);
        foreach (var part in new[] { "`pr-digest`", "Summarises a PR", "summarises pull requests", "when someone asks about a PR", "1. fetch the diff 2. summarise it", "\"summarise PR 7\"", "Shall I write the SKILL.md?" })
        {
            Assert.Contains(part, summary.Reply, StringComparison.Ordinal);
        }
        Assert.Null(summary.Context.GeneratedSkillMd);
    }

    [Fact]
    public async Task Should_show_the_skill_md_and_ask_where_to_save_it()
    {
        var conversation = Conversation.WithInterview();
        await conversation.SayAsync("I want a skill called pr-digest that summarises pull requests. Description: Summarises a PR. Steps: fetch the diff, summarise it. Use it when someone asks about a PR. Example: summarise PR 7");

        var generated = await conversation.SayAsync("yes");

        Assert.Equal(AgentState.SelectingStorage, generated.Context.State);
        Assert.Contains("```markdown\n---\nname: pr-digest\n", generated.Reply, StringComparison.Ordinal);
        Assert.Contains("**organization**", generated.Reply, StringComparison.Ordinal);
        Assert.Equal(StorageLayers.Organization, generated.Context.StorageLayer);
    }

    [Theory]
    [InlineData("personal", StorageLayers.Personal)]
    [InlineData("keep it in the project please", StorageLayers.Project)]
    [InlineData("yes", StorageLayers.Organization)]
    public async Task Should_save_to_the_layer_the_user_names(string answer, string layer)
    {
        var agent = new SkillAgent(new InterviewResponder());

        var result = await agent.RespondAsync(Specs.Input(answer, Specs.Generated()), CancellationToken.None);

        Assert.True(result.IsCompleted);
        Assert.Equal(layer, result.Context.StorageLayer);
        Assert.Equal([AgentState.SelectingStorage, AgentState.Saving, AgentState.Completed], result.Path);
        Assert.Contains($"**{layer}**", result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ask_again_about_storage_when_the_answer_is_unclear()
    {
        var agent = new SkillAgent(new InterviewResponder());

        var result = await agent.RespondAsync(Specs.Input("hmm, not sure", Specs.Generated()), CancellationToken.None);

        Assert.Equal(AgentState.SelectingStorage, result.Context.State);
        Assert.Contains("personal, project or organization", result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_infer_what_is_left_after_every_question_was_asked_once()
    {
        var conversation = Conversation.WithInterview();

        // "hmm" answers nothing, so each question is asked once and then the agent fills the gaps itself.
        await conversation.RunAsync("a skill to review Terraform plans", "hmm", "hmm", "hmm", "hmm", "hmm");

        Assert.Equal(AgentState.ConfirmingSpec, conversation.Context.State);
        Assert.Equal(1, conversation.Context.InferenceAttempts);
        Assert.Equal(SpecFields.InterviewOrder.Skip(1), conversation.Context.InferredFields);
        Assert.Equal("review-terraform-plans", conversation.Context.SkillName);
        Assert.Contains("*(my suggestion)*", conversation.Last.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_take_the_suggestion_when_the_user_agrees_to_it()
    {
        var conversation = Conversation.WithInterview();
        await conversation.SayAsync("a skill to review Terraform plans");

        var accepted = await conversation.SayAsync("sounds good");

        Assert.Equal("review-terraform-plans", accepted.Context.SkillName);
        Assert.Equal([SpecFields.Name], accepted.Context.InferredFields);
        Assert.Equal(0, accepted.Context.InferenceAttempts);
        Assert.Contains("`review-terraform-plans` it is", accepted.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_not_infer_more_than_twice()
    {
        var context = SkillContext.New() with
        {
            State = AgentState.GatheringDetails,
            InferenceAttempts = 2,
            AskedQuestions = [.. SpecFields.InterviewOrder.Select(InterviewQuestions.Primary)],
        };
        var agent = new SkillAgent(new InterviewResponder());

        var result = await agent.RespondAsync(Specs.Input("ok", context), CancellationToken.None);

        Assert.Equal(2, result.Context.InferenceAttempts);
        Assert.Equal(AgentState.GatheringDetails, result.Context.State);
        Assert.Contains(InterviewQuestions.Alternate(SpecFields.Purpose), result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_say_what_is_needed_once_every_phrasing_was_asked()
    {
        var context = SkillContext.New() with
        {
            State = AgentState.GatheringDetails,
            InferenceAttempts = 2,
            AskedQuestions = [.. SpecFields.InterviewOrder.SelectMany(f => new[] { InterviewQuestions.Primary(f), InterviewQuestions.Alternate(f) })],
        };
        var agent = new SkillAgent(new InterviewResponder());

        var result = await agent.RespondAsync(Specs.Input("ok", context), CancellationToken.None);

        Assert.Equal(context.AskedQuestions.Count, result.Context.AskedQuestions.Count);
        Assert.Contains("I still need to know what the skill is for", result.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_print_a_full_transcript()
    {
        var conversation = await Conversation.WithInterview().RunAsync(
            "Hi! I'd like a skill that summarises pull requests for our reviewers.",
            "Call it pr-digest.",
            "Description: Summarises a pull request into a short digest for reviewers.",
            "Steps: fetch the diff, group the changes by area, write a five-line summary",
            "Use it when someone asks what a PR changes or pastes a pull request link.",
            "Example: \"What does PR #42 change?\"",
            "yes",
            "yes");
        output.WriteLine(conversation.Transcript);

        Assert.True(conversation.Last.IsCompleted);
        Assert.Equal(8, conversation.TurnCount);
    }
}
