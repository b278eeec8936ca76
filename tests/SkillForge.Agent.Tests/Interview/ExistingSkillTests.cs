using SkillForge.Agent.Interview;
using SkillForge.Agent.States;

namespace SkillForge.Agent.Tests.Interview;

public class ExistingSkillTests
{
    private static readonly ExistingSkill PrSummary = new("pr-summary", "Summarises pull requests for reviewers.");
    private static readonly ExistingSkill ReleaseNotes = new("release-notes", "Drafts release notes from merged changes.");

    [Theory]
    [InlineData("I want a skill that summarises pull requests", "pr-summary")]
    [InlineData("make me a skill for pull request summaries", "pr-summary")]
    [InlineData("a skill to write release notes", "release-notes")]
    [InlineData("a skill that triages bug reports", null)]
    [InlineData("a skill that summarises meeting notes", null)]
    public void Should_match_a_skill_sharing_two_keywords(string request, string? expected)
    {
        Assert.Equal(expected, ExistingSkillMatcher.Find(request, [PrSummary, ReleaseNotes])?.Name);
    }

    [Fact]
    public async Task Should_offer_the_existing_skill_and_complete_when_the_user_takes_it()
    {
        var conversation = Conversation.WithInterview([PrSummary]);

        var offer = await conversation.SayAsync("I want a skill that summarises pull requests");
        var taken = await conversation.SayAsync("yes, use it");

        Assert.Equal(AgentState.CheckingExisting, offer.Context.State);
        Assert.Contains("**pr-summary**", offer.Reply, StringComparison.Ordinal);
        Assert.True(taken.IsCompleted);
        Assert.Equal("pr-summary", taken.Context.SkillName);
        Assert.Equal(PrSummary.Description, taken.Context.Description);
    }

    [Fact]
    public async Task Should_build_a_new_skill_when_the_user_declines()
    {
        var conversation = Conversation.WithInterview([PrSummary]);

        await conversation.SayAsync("I want a skill that summarises pull requests");
        var declined = await conversation.SayAsync("no, I want a new one");

        Assert.Equal([AgentState.CheckingExisting, AgentState.GatheringPurpose, AgentState.GatheringDetails], declined.Path);
        Assert.Equal("summarises pull requests", declined.Context.Purpose);
        Assert.Null(declined.Context.OfferedSkill);
        Assert.Contains("let's build a new one", declined.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ask_again_when_the_answer_to_the_offer_is_unclear()
    {
        var conversation = Conversation.WithInterview([PrSummary]);

        await conversation.SayAsync("I want a skill that summarises pull requests");
        var unclear = await conversation.SayAsync("hmm");

        Assert.Equal(AgentState.CheckingExisting, unclear.Context.State);
        Assert.Contains("say **use it**", unclear.Reply, StringComparison.Ordinal);
    }
}
