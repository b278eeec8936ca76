using System.Text.Json;
using CsCheck;
using SkillForge.Agent.Context;
using SkillForge.Agent.States;

namespace SkillForge.Agent.Tests.Context;

public class SkillContextSerializerTests
{
    [Fact]
    public void Should_round_trip_every_field()
    {
        var context = Specs.Generated() with
        {
            Capabilities = ["Flags risky changes"],
            ReferenceTopics = ["Review guidelines"],
            ScriptsNeeded = ["fetch the diff"],
            AllowedTools = ["gh"],
            GeneratedResources = [new GeneratedResource("references/review-guidelines.md", "# Review guidelines\n")],
            ValidationAttempts = 2,
            ValidationErrors = ["The name is empty."],
            AskedQuestions = ["What should we call it?"],
            InferenceAttempts = 1,
            InferredFields = [SpecFields.Examples],
            AwaitingAnswerFor = SpecFields.Triggers,
            OfferedSkill = new ExistingSkill("pr-summary", "Summarises PRs."),
        };

        var json = SkillContextSerializer.Serialize(context);
        var back = SkillContextSerializer.Deserialize(json);

        Assert.Equal(json, SkillContextSerializer.Serialize(back));
        Assert.Equal(context.GeneratedSkillMd, back.GeneratedSkillMd);
        Assert.Equal(context.OfferedSkill, back.OfferedSkill);
        Assert.Equal(context.GeneratedResources, back.GeneratedResources);
        Assert.Equal(AgentState.SelectingStorage, back.State);
    }

    [Fact]
    public void Should_write_snake_case_with_a_schema_version_and_the_state_by_wire_name()
    {
        var json = SkillContextSerializer.Serialize(SkillContext.New() with { State = AgentState.GatheringDetails, SkillName = "x" });

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(SkillContext.CurrentSchemaVersion, root.GetProperty("schema_version").GetInt32());
        Assert.Equal("gathering_details", root.GetProperty("state").GetString());
        Assert.Equal("x", root.GetProperty("skill_name").GetString());
        Assert.False(root.TryGetProperty("description", out _), "nulls are left out");
    }

    [Fact]
    public void Should_keep_fields_it_does_not_know_on_round_trip()
    {
        const string json = """{"schema_version":3,"state":"gathering_details","skill_name":"pr-digest","future_field":{"nested":[1,2]},"another":"x"}""";

        var back = SkillContextSerializer.Serialize(SkillContextSerializer.Deserialize(json) with { Description = "Added." });

        using var document = JsonDocument.Parse(back);
        Assert.Equal("[1,2]", document.RootElement.GetProperty("future_field").GetProperty("nested").GetRawText());
        Assert.Equal("x", document.RootElement.GetProperty("another").GetString());
        Assert.Equal(3, document.RootElement.GetProperty("schema_version").GetInt32());
        Assert.Equal("Added.", document.RootElement.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"state":"idle"}""")]
    [InlineData("""{"examples":null,"workflow_steps":null,"asked_questions":null,"generated_resources":null}""")]
    public void Should_give_missing_or_null_fields_their_defaults(string json)
    {
        var context = SkillContextSerializer.Deserialize(json);

        Assert.Equal(AgentState.Idle, context.State);
        Assert.Equal(SkillContext.CurrentSchemaVersion, context.SchemaVersion);
        Assert.Empty(context.Examples);
        Assert.Empty(context.WorkflowSteps);
        Assert.Empty(context.AskedQuestions);
        Assert.Empty(context.GeneratedResources);
        Assert.Equal(0, context.InferenceAttempts);
    }

    [Fact]
    public void Should_drop_null_items_in_lists()
    {
        var context = SkillContextSerializer.Deserialize("""{"triggers":["a",null,"b"]}""");

        Assert.Equal(["a", "b"], context.Triggers);
    }

    [Fact]
    public void Should_read_a_state_from_a_newer_agent_as_gathering_details()
    {
        var context = SkillContextSerializer.Deserialize("""{"state":"reviewing_with_a_human","skill_name":"kept"}""");

        Assert.Equal(AgentState.GatheringDetails, context.State);
        Assert.Equal("kept", context.SkillName);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("""{"state":5}""")]
    [InlineData("""{"examples":"one"}""")]
    [InlineData("""{"schema_version":"two"}""")]
    [InlineData("""{"skill_name":"x" """)]
    public void Should_throw_a_clear_format_exception_for_unreadable_json(string json)
    {
        var error = Assert.Throws<SkillContextFormatException>(() => SkillContextSerializer.Deserialize(json));

        Assert.Contains("agent context", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_round_trip_any_text_in_any_field()
    {
        var texts = Generators.Text.List[0, 4];
        Gen.Select(Generators.Text, texts, texts, Gen.Int[0, 12]).Sample((name, steps, examples, state) =>
        {
            var context = SkillContext.New() with
            {
                State = (AgentState)state,
                SkillName = name,
                Description = name,
                WorkflowSteps = steps,
                Examples = examples,
            };
            var json = SkillContextSerializer.Serialize(context);
            var back = SkillContextSerializer.Deserialize(json);
            return back.SkillName == name && back.State == context.State && back.WorkflowSteps.SequenceEqual(steps)
                && back.Examples.SequenceEqual(examples) && SkillContextSerializer.Serialize(back) == json;
        });
    }
}
