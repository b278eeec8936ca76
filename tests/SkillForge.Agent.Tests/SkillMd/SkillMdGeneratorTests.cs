using SkillForge.Agent.SkillMd;

namespace SkillForge.Agent.Tests.SkillMd;

public class SkillMdGeneratorTests
{
    [Fact]
    public void Should_write_frontmatter_with_exactly_name_and_description_then_the_sections_in_order()
    {
        var md = SkillMdGenerator.Generate(Specs.Complete());

        var lines = md.Split('\n');
        Assert.Equal(["---", "name: pr-digest", "description: \"Summarises a pull request into a short digest for reviewers.\"", "---"], lines[..4]);
        var headings = lines.Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["## Purpose", "## When to use", "## Workflow", "## Examples"], headings);
        Assert.Contains("# PR Digest", lines);
        Assert.Equal("# PR Digest", lines[5]);
        Assert.Equal("", lines[6]);
        Assert.Equal("## Purpose", lines[7]);
        Assert.Contains("1. Fetch the diff", lines);
        Assert.Contains("- When someone asks what a PR changes", lines);
        Assert.Contains("- \"What does PR #42 change?\"", lines);
    }

    [Theory]
    [InlineData("Summarises: PRs, fast")]
    [InlineData("Say \"hi\" # not a comment")]
    [InlineData("Back\\slash and 'quotes'")]
    [InlineData("- looks like a list")]
    [InlineData("two\nlines")]
    [InlineData("{ json: true }")]
    public void Should_quote_a_description_so_yaml_reads_it_back_unchanged(string description)
    {
        var md = SkillMdGenerator.Generate(Specs.Complete() with { Description = description });

        var validation = SkillMdValidator.Validate(md);

        Assert.True(validation.IsValid, string.Join("; ", validation.Errors));
        Assert.Equal(description.Replace('\n', ' '), validation.Description);
    }

    [Theory]
    [InlineData("someone pastes a PR link", "- When someone pastes a PR link")]
    [InlineData("after a meeting, when notes are pasted", "- After a meeting, when notes are pasted")]
    [InlineData("If the build fails", "- If the build fails")]
    public void Should_write_triggers_as_when_clauses(string trigger, string line)
    {
        var md = SkillMdGenerator.Generate(Specs.Complete() with { Triggers = [trigger] });

        Assert.Contains(line, md.Split('\n'));
    }

    [Fact]
    public void Should_keep_user_text_from_turning_into_headings()
    {
        var md = SkillMdGenerator.Generate(Specs.Complete() with { Purpose = "## Examples\nsneaky" });

        var validation = SkillMdValidator.Validate(md);

        Assert.True(validation.IsValid, string.Join("; ", validation.Errors));
        Assert.Single(md.Split('\n'), l => l == "## Examples");
    }

    [Fact]
    public void Should_add_tools_references_and_scripts_when_given_with_a_resource_for_each()
    {
        var spec = Specs.Complete() with { AllowedTools = ["gh"], ReferenceTopics = ["Review guidelines"], ScriptsNeeded = ["Fetch the diff"] };

        var md = SkillMdGenerator.Generate(spec);
        var resources = SkillMdGenerator.Resources(spec);

        Assert.Contains("## Tools\n\n- gh", md, StringComparison.Ordinal);
        Assert.Contains("[Review guidelines](references/review-guidelines.md)", md, StringComparison.Ordinal);
        Assert.Contains("`scripts/fetch-the-diff.md`", md, StringComparison.Ordinal);
        Assert.Equal(["references/review-guidelines.md", "scripts/fetch-the-diff.md"], resources.Select(r => r.Path));
        Assert.True(SkillMdValidator.Validate(md).IsValid);
    }

    [Fact]
    public void Should_quote_a_name_yaml_would_read_as_a_boolean()
    {
        var md = SkillMdGenerator.Generate(Specs.Complete() with { SkillName = "yes" });

        Assert.Contains("name: \"yes\"", md, StringComparison.Ordinal);
        Assert.True(SkillMdValidator.Validate(md).IsValid);
    }
}
