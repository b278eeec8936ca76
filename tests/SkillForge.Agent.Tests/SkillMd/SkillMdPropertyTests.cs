using CsCheck;
using SkillForge.Agent.Context;
using SkillForge.Agent.SkillMd;

namespace SkillForge.Agent.Tests.SkillMd;

/// <summary>Property-based checks of the generator, validator and name rules (CsCheck).</summary>
public class SkillMdPropertyTests
{
    private static readonly Gen<string> Item = Generators.TextOfLength(1, 80).Where(s => s.Trim().Length > 0);

    private static readonly Gen<SkillContext> ValidSpec = Gen.Select(
            Generators.KebabName,
            Generators.TextOfLength(1, 1024).Where(d => d.Trim().Length > 0),
            Item,
            Item.List[1, 6],
            Item.List[1, 4],
            Item.List[1, 4],
            Item.List[0, 3])
        .Select((name, description, purpose, steps, triggers, examples, tools) => Specs.Complete() with
        {
            SkillName = name,
            Description = description,
            Purpose = purpose,
            WorkflowSteps = steps,
            Triggers = triggers,
            Examples = examples,
            AllowedTools = tools,
            ReferenceTopics = tools,
        });

    [Fact]
    public void Should_generate_a_valid_skill_md_for_any_valid_spec()
    {
        ValidSpec.Sample(spec =>
        {
            var validation = SkillMdValidator.Validate(SkillMdGenerator.Generate(spec));
            return validation.IsValid
                && validation.Name == spec.SkillName
                && validation.Description == SkillMdGenerator.OneLine(spec.Description);
        });
    }

    [Fact]
    public void Should_normalise_any_text_to_a_valid_name_or_nothing()
    {
        Generators.Text.Sample(text => SkillNames.Normalize(text) is not { } name || SkillNames.IsValid(name));
    }

    [Fact]
    public void Should_normalise_idempotently()
    {
        Generators.Text.Sample(text => SkillNames.Normalize(SkillNames.Normalize(text)) == SkillNames.Normalize(text));
    }

    [Fact]
    public void Should_leave_valid_names_unchanged()
    {
        Generators.KebabName.Sample(name => SkillNames.Normalize(name) == name && SkillNames.IsValid(name));
    }

    [Theory]
    [InlineData("PR Digest!", "pr-digest")]
    [InlineData("  Café Notes  ", "cafe-notes")]
    [InlineData("2024 release notes", "release-notes")]
    [InlineData("9lives", "lives")]
    [InlineData("snake_case_name", "snake-case-name")]
    [InlineData("!!!", null)]
    [InlineData("123", null)]
    public void Should_normalise_names_to_kebab_case(string text, string? name)
    {
        Assert.Equal(name, SkillNames.Normalize(text));
    }

    [Fact]
    public void Should_cut_long_names_at_a_word_boundary()
    {
        var name = SkillNames.Normalize(string.Join(' ', Enumerable.Repeat("summarise", 10)));

        Assert.NotNull(name);
        Assert.True(name.Length <= 64);
        Assert.EndsWith("summarise", name, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_read_back_any_double_quoted_text()
    {
        Generators.Text.Sample(text =>
            YamlScalars.TryRead(YamlScalars.DoubleQuoted(text), out var back, out _) && back == text);
    }
}
