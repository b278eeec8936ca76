using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;

namespace SkillForge.Agent.Tests.Interview;

public class PurposePhraseTests
{
    [Theory]
    [InlineData("summarises pull requests", "summarise pull requests")]
    [InlineData("triages bug reports", "triage bug reports")]
    [InlineData("fixes flaky tests", "fix flaky tests")]
    [InlineData("Review Terraform plans", "review Terraform plans")]
    [InlineData("categorizes support tickets", "categorize support tickets")]
    [InlineData("writing release notes", null)]
    [InlineData("release notes from merged PRs", null)]
    public void Should_turn_a_verb_led_purpose_into_an_infinitive(string purpose, string? verbPhrase)
    {
        Assert.Equal(verbPhrase, PurposePhrase.VerbPhrase(purpose));
    }

    [Theory]
    [InlineData("summarises pull requests", "a skill that summarises pull requests")]
    [InlineData("review Terraform plans", "a skill to review Terraform plans")]
    [InlineData("writing release notes", "a skill for writing release notes")]
    public void Should_describe_the_skill_in_natural_words(string purpose, string skill)
    {
        Assert.Equal(skill, PurposePhrase.AsSkill(purpose));
    }

    [Theory]
    [InlineData("summarises pull requests", "Summarises pull requests. Use when the user asks to summarise pull requests.")]
    [InlineData("writing release notes", "Helps with writing release notes. Use when the user needs help with writing release notes.")]
    public void Should_infer_a_description_that_says_what_and_when(string purpose, string description)
    {
        Assert.Equal(description, SpecInference.Description(SkillContext.New() with { Purpose = purpose }));
    }
}
