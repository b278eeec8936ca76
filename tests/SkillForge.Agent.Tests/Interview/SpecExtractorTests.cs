using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;

namespace SkillForge.Agent.Tests.Interview;

public class SpecExtractorTests
{
    [Theory]
    [InlineData("Name it pr-digest", "pr-digest")]
    [InlineData("Call it PR Digest.", "pr-digest")]
    [InlineData("let's call it `release-notes`", "release-notes")]
    [InlineData("The name is Meeting Actions", "meeting-actions")]
    [InlineData("name: terraform_plan_review", "terraform-plan-review")]
    [InlineData("It's called changelog-writer, thanks", "changelog-writer")]
    [InlineData("Rename it to pr-brief", "pr-brief")]
    [InlineData("Sure, call it something like the pr summariser", "pr-summariser")]
    public void Should_read_the_name(string text, string name)
    {
        Assert.Equal(name, SpecExtractor.Extract(text, awaiting: null, wantsPurpose: false).Name);
    }

    [Theory]
    [InlineData("pr-digest")]
    [InlineData("PR digest")]
    [InlineData("how about pr-digest?")]
    [InlineData("maybe \"pr digest\"")]
    public void Should_read_a_bare_name_when_the_name_was_asked_for(string text)
    {
        Assert.Equal("pr-digest", SpecExtractor.Extract(text, SpecFields.Name, wantsPurpose: false).Name);
    }

    [Theory]
    [InlineData("Description: Summarises a PR for reviewers.", "Summarises a PR for reviewers.")]
    [InlineData("the description is: turns notes into tasks", "Turns notes into tasks.")]
    [InlineData("Describe it as \"Writes release notes: fast.\"", "Writes release notes: fast.")]
    public void Should_read_the_description(string text, string description)
    {
        Assert.Equal(description, SpecExtractor.Extract(text, awaiting: null, wantsPurpose: false).Description);
    }

    [Fact]
    public void Should_continue_a_description_over_several_sentences()
    {
        var facts = SpecExtractor.Extract("Description: Summarises a PR. Great for busy reviewers.", awaiting: null, wantsPurpose: false);

        Assert.Equal("Summarises a PR. Great for busy reviewers.", facts.Description);
    }

    [Theory]
    [InlineData("Steps: fetch the diff, group changes, write summary")]
    [InlineData("The steps are fetch the diff; group changes; write summary.")]
    [InlineData("First fetch the diff, then group changes, then write summary")]
    [InlineData("workflow: 1) fetch the diff 2) group changes 3) write summary")]
    [InlineData("Steps:\n- fetch the diff\n- group changes\n- write summary")]
    [InlineData("steps: fetch the diff -> group changes -> write summary")]
    public void Should_read_workflow_steps(string text)
    {
        Assert.Equal(["fetch the diff", "group changes", "write summary"], SpecExtractor.Extract(text, awaiting: null, wantsPurpose: false).WorkflowSteps);
    }

    [Fact]
    public void Should_read_bare_steps_when_the_steps_were_asked_for()
    {
        var facts = SpecExtractor.Extract("fetch the diff, group the changes and then write the summary", SpecFields.WorkflowSteps, wantsPurpose: false);

        Assert.Equal(["fetch the diff", "group the changes", "write the summary"], facts.WorkflowSteps);
    }

    [Theory]
    [InlineData("Use it when someone asks what a PR changes", "someone asks what a PR changes")]
    [InlineData("It should be used whenever a PR link is pasted.", "a PR link is pasted")]
    [InlineData("Trigger: the user mentions release notes", "the user mentions release notes")]
    [InlineData("Use it if the build fails", "the build fails")]
    public void Should_read_a_trigger(string text, string trigger)
    {
        Assert.Equal([trigger], SpecExtractor.Extract(text, awaiting: null, wantsPurpose: false).Triggers);
    }

    [Fact]
    public void Should_split_several_triggers()
    {
        var facts = SpecExtractor.Extract("when someone asks for a summary, or when a PR link is pasted; before a release", SpecFields.Triggers, wantsPurpose: false);

        Assert.Equal(["someone asks for a summary", "a PR link is pasted", "before a release"], facts.Triggers);
    }

    [Theory]
    [InlineData("Example: What does PR #42 change?", new[] { "What does PR #42 change?" })]
    [InlineData("For example, \"summarise PR 7\" or \"what changed in #9?\"", new[] { "summarise PR 7", "what changed in #9?" })]
    [InlineData("Examples: summarise PR 7; what changed in #9?", new[] { "summarise PR 7", "what changed in #9?" })]
    [InlineData("A user might say: can you digest PR 12?", new[] { "can you digest PR 12?" })]
    [InlineData("e.g. \"Summarise PR #42. Then post it.\"", new[] { "Summarise PR #42. Then post it." })]
    public void Should_read_examples(string text, string[] examples)
    {
        Assert.Equal(examples, SpecExtractor.Extract(text, awaiting: null, wantsPurpose: false).Examples);
    }

    [Theory]
    [InlineData("I want a skill that summarises pull requests for reviewers", "summarises pull requests for reviewers")]
    [InlineData("Hi! I'd like a skill to review Terraform plans.", "review Terraform plans")]
    [InlineData("Can you help me build a skill for writing release notes?", "writing release notes")]
    [InlineData("I need something that turns meeting notes into action items", "turns meeting notes into action items")]
    [InlineData("we need an agent which can triage bug reports", "triage bug reports")]
    [InlineData("Summarise pull requests for reviewers", "Summarise pull requests for reviewers")]
    [InlineData("The purpose is to keep changelogs tidy", "keep changelogs tidy")]
    [InlineData("It should draft replies to support tickets", "draft replies to support tickets")]
    public void Should_read_the_purpose_from_a_request(string text, string purpose)
    {
        Assert.Equal(purpose, SpecExtractor.Extract(text, awaiting: null, wantsPurpose: true).Purpose);
    }

    [Fact]
    public void Should_read_a_name_given_inside_the_request()
    {
        var facts = SpecExtractor.Extract("I want a skill called pr-digest that summarises pull requests", awaiting: null, wantsPurpose: true);

        Assert.Equal("pr-digest", facts.Name);
        Assert.Equal("summarises pull requests", facts.Purpose);
    }

    [Fact]
    public void Should_read_everything_from_one_message()
    {
        const string text = """
            I'd like a skill that summarises pull requests. Name it pr-digest.
            Description: Summarises a pull request into a short digest for reviewers.
            Steps: fetch the diff, group the changes by area, write a five-line summary.
            Use it when someone asks what a PR changes. Example: "What does PR #42 change?"
            It should flag risky migrations. Tools: gh, git. References: review guidelines.
            """;

        var facts = SpecExtractor.Extract(text, awaiting: null, wantsPurpose: true);

        Assert.Equal("summarises pull requests", facts.Purpose);
        Assert.Equal("pr-digest", facts.Name);
        Assert.Equal("Summarises a pull request into a short digest for reviewers.", facts.Description);
        Assert.Equal(3, facts.WorkflowSteps.Count);
        Assert.Equal(["someone asks what a PR changes"], facts.Triggers);
        Assert.Equal(["What does PR #42 change?"], facts.Examples);
        Assert.Equal(["It should flag risky migrations"], facts.Capabilities);
        Assert.Equal(["gh", "git"], facts.AllowedTools);
        Assert.Equal(["review guidelines"], facts.ReferenceTopics);
    }

    [Theory]
    [InlineData("I don't know")]
    [InlineData("you decide")]
    [InlineData("no idea, up to you")]
    [InlineData("skip")]
    public void Should_leave_the_awaited_field_to_the_agent_when_the_user_is_unsure(string text)
    {
        var facts = SpecExtractor.Extract(text, SpecFields.Name, wantsPurpose: false);

        Assert.Contains(SpecFields.Name, facts.LeftToAgent);
        Assert.Null(facts.Name);
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("thanks!")]
    [InlineData("hi there")]
    public void Should_find_nothing_in_pleasantries(string text)
    {
        var facts = SpecExtractor.Extract(text, SpecFields.Description, wantsPurpose: true);

        Assert.False(facts.HasSpecFacts);
        Assert.Empty(facts.Unplaced);
    }

    [Fact]
    public void Should_replace_a_list_given_with_a_plural_label_and_extend_it_otherwise()
    {
        var context = Specs.Complete();

        var replaced = SpecExtractor.Extract("Steps: a, b", awaiting: null, wantsPurpose: false).ApplyTo(context);
        var extended = SpecExtractor.Extract("Example: another one", awaiting: null, wantsPurpose: false).ApplyTo(context);

        Assert.Equal(["a", "b"], replaced.WorkflowSteps);
        Assert.Equal([.. context.Examples, "another one"], extended.Examples);
    }

    [Fact]
    public void Should_read_a_message_at_the_size_limit_quickly()
    {
        var words = string.Join(' ', Enumerable.Repeat("summarise the pull request, then post it", 120));
        var text = $"Call it {words}. I want a skill that {words}. Steps: {words}";
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var facts = SpecExtractor.Extract(text[..Math.Min(text.Length, 16_384)], SpecFields.Name, wantsPurpose: true);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.NotEmpty(facts.WorkflowSteps);
    }
}
