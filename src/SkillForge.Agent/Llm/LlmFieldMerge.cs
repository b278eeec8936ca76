using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.SkillMd;

namespace SkillForge.Agent.Llm;

/// <summary>Folds the model's reported fields into the context: names normalised, lists cleaned, guesses it confirmed unmarked.</summary>
internal static class LlmFieldMerge
{
    public static SkillContext Apply(SkillContext c, LlmTurnAnswer answer)
    {
        var f = answer.Fields ?? new LlmSpecFields();
        var given = new List<string>();
        var name = SkillNames.Normalize(f.SkillName);
        if (name is not null) { given.Add(SpecFields.Name); }
        var description = Text(f.Description);
        if (description is not null) { given.Add(SpecFields.Description); }
        var purpose = Text(f.Purpose);
        if (purpose is not null) { given.Add(SpecFields.Purpose); }
        var question = Text(answer.Question);
        var layer = Text(f.StorageLayer)?.ToLowerInvariant();

        // A list the model reported replaces the context's; one it left out (or left empty) keeps it.
        var merged = c;
        foreach (var list in SpecLists.All)
        {
            var reported = List(list.OfModel(f));
            if (reported is null)
            {
                continue;
            }
            if (list.InterviewField == SpecFields.Triggers)
            {
                reported = [.. reported.Select(t => t.StartsWith("when ", StringComparison.OrdinalIgnoreCase) ? t[5..] : t)];
            }
            merged = list.IntoContext(merged, reported);
            if (list.InterviewField is { } field)
            {
                given.Add(field);
            }
        }

        return merged with
        {
            SkillName = name ?? c.SkillName,
            Description = description ?? c.Description,
            Purpose = purpose ?? c.Purpose,
            StorageLayer = layer is not null && StorageLayers.All.Contains(layer) ? layer : c.StorageLayer,
            InferredFields = [.. c.InferredFields.Except(given)],
            // The latest questions only: a model that asks something new every turn must not grow the context for ever.
            AskedQuestions = question is not null && !QuestionOverlap.WasAsked(question, c.AskedQuestions)
                ? [.. c.AskedQuestions.TakeLast(ModelOutput.MaxAskedQuestions - 1), question]
                : c.AskedQuestions,
            // The model keeps track of what it asked; a bare answer is its to interpret, not the offline extractor's.
            AwaitingAnswerFor = null,
        };
    }

    private static string? Text(string? value) => SkillMdGenerator.OneLine(value) is { Length: > 0 } v ? v : null;

    private static IReadOnlyList<string>? List(IReadOnlyList<string>? items)
    {
        var cleaned = items?.Select(Text).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return cleaned is { Count: > 0 } ? cleaned : null;
    }
}
