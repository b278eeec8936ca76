using SkillForge.Agent.Llm;

namespace SkillForge.Agent.Context;

/// <summary>
/// The skill spec's list fields, the one place that names them: how each is read and written on the context and on
/// the model's report of it (<see cref="LlmSpecFields"/>). The serializer's defaults, the model output's caps, the
/// prompt's summary and the merge of the model's report all go through this table, so a new list field is added here
/// once (a test fails when either record has a list that the table lacks).
/// </summary>
internal static class SpecLists
{
    public static readonly IReadOnlyList<SpecList> All =
    [
        new(nameof(SkillContext.Capabilities), null,
            c => c.Capabilities, (c, v) => c with { Capabilities = v }, f => f.Capabilities, (f, v) => f with { Capabilities = v }),
        new(nameof(SkillContext.Examples), SpecFields.Examples,
            c => c.Examples, (c, v) => c with { Examples = v }, f => f.Examples, (f, v) => f with { Examples = v }),
        new(nameof(SkillContext.WorkflowSteps), SpecFields.WorkflowSteps,
            c => c.WorkflowSteps, (c, v) => c with { WorkflowSteps = v }, f => f.WorkflowSteps, (f, v) => f with { WorkflowSteps = v }),
        new(nameof(SkillContext.Triggers), SpecFields.Triggers,
            c => c.Triggers, (c, v) => c with { Triggers = v }, f => f.Triggers, (f, v) => f with { Triggers = v }),
        new(nameof(SkillContext.ReferenceTopics), null,
            c => c.ReferenceTopics, (c, v) => c with { ReferenceTopics = v }, f => f.ReferenceTopics, (f, v) => f with { ReferenceTopics = v }),
        new(nameof(SkillContext.ScriptsNeeded), null,
            c => c.ScriptsNeeded, (c, v) => c with { ScriptsNeeded = v }, f => f.ScriptsNeeded, (f, v) => f with { ScriptsNeeded = v }),
        new(nameof(SkillContext.AllowedTools), null,
            c => c.AllowedTools, (c, v) => c with { AllowedTools = v }, f => f.AllowedTools, (f, v) => f with { AllowedTools = v }),
    ];

    /// <summary><paramref name="context"/> with <paramref name="map"/> applied to each list field.</summary>
    public static SkillContext MapContext(SkillContext context, Func<IReadOnlyList<string>, IReadOnlyList<string>> map) =>
        All.Aggregate(context, (c, list) => list.IntoContext(c, map(list.OfContext(c))));

    /// <summary><paramref name="fields"/> with <paramref name="map"/> applied to each list field.</summary>
    public static LlmSpecFields MapModel(LlmSpecFields fields, Func<IReadOnlyList<string>?, IReadOnlyList<string>?> map) =>
        All.Aggregate(fields, (f, list) => list.IntoModel(f, map(list.OfModel(f))));
}

/// <summary>One list field of the spec.</summary>
/// <param name="InterviewField">Its <see cref="SpecFields"/> name when the interview asks for it, else null.</param>
internal sealed record SpecList(
    string Name,
    string? InterviewField,
    Func<SkillContext, IReadOnlyList<string>> OfContext,
    Func<SkillContext, IReadOnlyList<string>, SkillContext> IntoContext,
    Func<LlmSpecFields, IReadOnlyList<string>?> OfModel,
    Func<LlmSpecFields, IReadOnlyList<string>?, LlmSpecFields> IntoModel);
