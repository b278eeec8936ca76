using SkillForge.Agent.Building;
using SkillForge.Agent.Interview;
using SkillForge.Agent.SkillMd;
using SkillForge.Agent.States;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.Tests.Building;

public class SkillBuildTests
{
    [Fact]
    public void Should_go_straight_to_storage_selection_for_a_valid_spec()
    {
        var turn = new ConversationTurn(Specs.Complete(Generating));

        SkillBuild.Run(turn);

        Assert.Equal([Generating, Validating, SelectingStorage], turn.Path);
        Assert.Equal(1, turn.Context.ValidationAttempts);
        Assert.Empty(turn.Context.ValidationErrors);
        Assert.True(SkillMdValidator.Validate(turn.Context.GeneratedSkillMd).IsValid);
    }

    [Fact]
    public void Should_fix_an_invalid_name_and_say_so()
    {
        var turn = new ConversationTurn(Specs.Complete(Generating) with { SkillName = "PR Digest!" });

        var reply = SkillBuild.Run(turn);

        Assert.Equal([Generating, Validating, FixingErrors, Validating, SelectingStorage], turn.Path);
        Assert.Equal("pr-digest", turn.Context.SkillName);
        Assert.Equal(2, turn.Context.ValidationAttempts);
        Assert.Contains("made the name kebab-case (`pr-digest`)", reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_derive_a_missing_description_on_the_second_attempt()
    {
        var turn = new ConversationTurn(Specs.Complete(Generating) with { Description = " " });

        SkillBuild.Run(turn);

        Assert.Equal(SelectingStorage, turn.State);
        Assert.Equal(3, turn.Context.ValidationAttempts);
        Assert.StartsWith("Helps summarise pull requests for reviewers.", turn.Context.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_shorten_an_overlong_description_on_the_third_attempt()
    {
        var turn = new ConversationTurn(Specs.Complete(Generating) with { Description = string.Join(' ', Enumerable.Repeat("word", 400)) });

        SkillBuild.Run(turn);

        Assert.Equal(SelectingStorage, turn.State);
        Assert.Equal(4, turn.Context.ValidationAttempts);
        Assert.True(turn.Context.Description!.Length <= SkillMdLimits.MaxDescriptionLength);
    }

    [Fact]
    public void Should_stop_after_three_fix_attempts_and_ask_the_user()
    {
        var turn = new ConversationTurn(Specs.Unfixable(Generating));

        var reply = SkillBuild.Run(turn);

        Assert.Equal(Error, turn.State);
        Assert.Equal(SkillBuild.MaxFixAttempts, turn.Path.Count(s => s == FixingErrors));
        Assert.Equal(SkillBuild.MaxFixAttempts + 1, turn.Context.ValidationAttempts);
        Assert.NotEmpty(turn.Context.ValidationErrors);
        Assert.Contains("after 3 attempts", reply, StringComparison.Ordinal);
        Assert.Contains("What should the skill be called?", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_recover_from_error_when_the_user_supplies_what_was_missing()
    {
        var agent = new SkillAgent(new InterviewResponder());
        var failed = await agent.RespondAsync(Specs.Input("yes", Specs.Unfixable()), CancellationToken.None);

        var fixedUp = await agent.RespondAsync(Specs.Input("Name it pr-digest. The purpose is to summarise pull requests. Description: Summarises PRs.", failed.Context), CancellationToken.None);
        var generated = await agent.RespondAsync(Specs.Input("yes", fixedUp.Context), CancellationToken.None);

        Assert.Equal(Error, failed.Context.State);
        Assert.Equal([Error, GatheringDetails, ConfirmingSpec], fixedUp.Path);
        Assert.Equal(SelectingStorage, generated.Context.State);
        Assert.Equal(1, generated.Context.ValidationAttempts);
    }

    [Theory]
    [InlineData(Validating)]
    [InlineData(FixingErrors)]
    public void Should_finish_a_build_left_half_way_by_an_earlier_writer(AgentState state)
    {
        var turn = new ConversationTurn(Specs.Complete(state) with { ValidationAttempts = 1 });

        SkillBuild.Run(turn);

        Assert.Equal(SelectingStorage, turn.State);
        Assert.NotNull(turn.Context.GeneratedSkillMd);
    }
}
