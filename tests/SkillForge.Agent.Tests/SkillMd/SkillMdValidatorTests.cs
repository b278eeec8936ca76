using SkillForge.Agent.SkillMd;

namespace SkillForge.Agent.Tests.SkillMd;

public class SkillMdValidatorTests
{
    private const string Body = "\n# T\n\n## Purpose\n\nP.\n\n## When to use\n\n- When x\n\n## Workflow\n\n1. Y\n\n## Examples\n\n- \"z\"\n";

    [Fact]
    public void Should_accept_a_well_formed_skill_md()
    {
        var validation = SkillMdValidator.Validate("---\nname: pr-digest\ndescription: Summarises PRs.\n---\n" + Body);

        Assert.True(validation.IsValid, string.Join("; ", validation.Errors));
        Assert.Equal("pr-digest", validation.Name);
        Assert.Equal("Summarises PRs.", validation.Description);
    }

    [Theory]
    [InlineData("", "must start with a '---' line")]
    [InlineData("name: x\n", "must start with a '---' line")]
    [InlineData("---\nname: x\ndescription: y\n", "not closed")]
    [InlineData("---\nname: x\ndescription: y\nlicense: MIT\n---\n", "only hold 'name' and 'description'")]
    [InlineData("---\nname: x\nname: y\ndescription: y\n---\n", "more than once")]
    [InlineData("---\ndescription: y\n---\n", "has no 'name'")]
    [InlineData("---\nname: x\n---\n", "has no 'description'")]
    [InlineData("---\nname: PR_Digest\ndescription: y\n---\n", "not kebab-case")]
    [InlineData("---\nname: 1st-skill\ndescription: y\n---\n", "not kebab-case")]
    [InlineData("---\nname: pr--digest\ndescription: y\n---\n", "not kebab-case")]
    [InlineData("---\nname: x\ndescription: \"\"\n---\n", "description is empty")]
    [InlineData("---\nname: x\ndescription: \"a\\nb\"\n---\n", "single line")]
    [InlineData("---\nname: x\ndescription: a: b\n---\n", "needs quoting")]
    [InlineData("---\nname: x\ndescription: \"unterminated\n---\n", "not a well-formed double-quoted")]
    [InlineData("---\nname: yes\ndescription: y\n---\n", "boolean or null")]
    [InlineData("---\nname: x\ndescription: y\n  indented: z\n---\n", "not a one-line 'key: value' pair")]
    public void Should_reject_a_broken_frontmatter_with_a_clear_error(string frontmatter, string error)
    {
        var validation = SkillMdValidator.Validate(frontmatter + Body);

        Assert.False(validation.IsValid);
        Assert.Contains(validation.Errors, e => e.Contains(error, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n ")]
    [InlineData(null)]
    public void Should_reject_an_empty_skill_md(string? skillMd)
    {
        Assert.Equal(["SKILL.md is empty."], SkillMdValidator.Validate(skillMd).Errors);
    }

    [Fact]
    public void Should_reject_a_name_longer_than_64_characters()
    {
        var validation = SkillMdValidator.Validate($"---\nname: {new string('a', 65)}\ndescription: y\n---\n" + Body);

        Assert.Contains(validation.Errors, e => e.Contains("the limit is 64", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_reject_a_description_longer_than_1024_characters()
    {
        var validation = SkillMdValidator.Validate($"---\nname: x\ndescription: {new string('d', 1025)}\n---\n" + Body);

        Assert.Contains(validation.Errors, e => e.Contains("the limit is 1024", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("## Purpose", "'## Purpose' is missing")]
    [InlineData("## Examples", "'## Examples' is missing")]
    public void Should_require_every_section(string heading, string error)
    {
        var validation = SkillMdValidator.Validate("---\nname: x\ndescription: y\n---\n" + Body.Replace(heading, "## Other", StringComparison.Ordinal));

        Assert.Contains(error, validation.Errors.Single(e => e.Contains("missing", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_an_empty_section()
    {
        var validation = SkillMdValidator.Validate("---\nname: x\ndescription: y\n---\n" + Body.Replace("1. Y\n", "", StringComparison.Ordinal));

        Assert.Equal(["The section '## Workflow' is empty."], validation.Errors);
    }

    [Fact]
    public void Should_reject_a_skill_md_past_the_size_limits()
    {
        var huge = "---\nname: x\ndescription: y\n---\n" + Body + string.Concat(Enumerable.Repeat("more text here\n", 3_000));

        var validation = SkillMdValidator.Validate(huge);

        Assert.Contains(validation.Errors, e => e.Contains("characters long; the limit is 32768", StringComparison.Ordinal));
        Assert.Contains(validation.Errors, e => e.Contains("lines; the limit is 500", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("'it''s fine'", "it's fine")]
    [InlineData("\"tab\\there \\u00e9\"", "tab\there é")]
    [InlineData("plain text, with commas", "plain text, with commas")]
    public void Should_read_the_yaml_scalar_forms(string scalar, string description)
    {
        var validation = SkillMdValidator.Validate($"---\nname: x\ndescription: {scalar}\n---\n" + Body);

        Assert.Equal(description, validation.Description);
    }
}
