using SkillForge.Agent.Context;
using SkillForge.Agent.Llm;

namespace SkillForge.Agent.Tests.Context;

/// <summary>The spec's list fields are named in one table; a list added to either record without it fails here.</summary>
public sealed class SpecListsTests
{
    // Lists of the context that are the agent's bookkeeping, not the skill's spec.
    private static readonly string[] Bookkeeping = [nameof(SkillContext.ValidationErrors), nameof(SkillContext.AskedQuestions), nameof(SkillContext.InferredFields)];

    [Fact]
    public void Should_name_every_list_of_the_spec_on_both_records()
    {
        var table = SpecLists.All.Select(l => l.Name).Order();
        var ofContext = typeof(SkillContext).GetProperties()
            .Where(p => p.PropertyType == typeof(IReadOnlyList<string>) && !Bookkeeping.Contains(p.Name)).Select(p => p.Name).Order();
        var ofModel = typeof(LlmSpecFields).GetProperties().Where(p => p.PropertyType == typeof(IReadOnlyList<string>)).Select(p => p.Name).Order();

        Assert.Equal(ofContext, table);
        Assert.Equal(ofModel, table);
    }

    [Fact]
    public void Should_read_and_write_each_list_through_its_own_property()
    {
        foreach (var list in SpecLists.All)
        {
            var context = list.IntoContext(SkillContext.New(), [list.Name]);
            var fields = list.IntoModel(new LlmSpecFields(), [list.Name]);

            Assert.Equal([list.Name], list.OfContext(context));
            Assert.Equal([list.Name], (IEnumerable<string>)typeof(SkillContext).GetProperty(list.Name)!.GetValue(context)!);
            Assert.Equal([list.Name], list.OfModel(fields)!);
            Assert.Equal([list.Name], (IEnumerable<string>)typeof(LlmSpecFields).GetProperty(list.Name)!.GetValue(fields)!);
        }
    }
}
