using SkillForge.Agent.Context;

namespace SkillForge.Agent.Interview;

/// <summary>
/// The interview's questions, two phrasings per field with different words, so the second can still be asked once
/// the first has been (the overlap rule would block a mere rewording). Hints with suggestions are added around the
/// question in the reply and are not part of what is recorded as asked.
/// </summary>
internal static class InterviewQuestions
{
    public const string Intent = "What would you like your new skill to do?";

    public static string Primary(string field) => field switch
    {
        SpecFields.Purpose => "What job should the skill do for you?",
        SpecFields.Name => "What should we call it?",
        SpecFields.Description => "How would you describe it in a sentence or two?",
        SpecFields.WorkflowSteps => "What steps should it follow, in order?",
        SpecFields.Triggers => "When should an agent reach for this skill?",
        SpecFields.Examples => "Could you give me an example or two of what a user might type?",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not an interview field."),
    };

    public static string Alternate(string field) => field switch
    {
        SpecFields.Purpose => "In a sentence, which task would you hand over to it?",
        SpecFields.Name => "Which short kebab-case label would you pick, such as my suggestion?",
        SpecFields.Description => "What one-line summary should agents read before loading it?",
        SpecFields.WorkflowSteps => "Walk me through how it works: what happens first, next and last?",
        SpecFields.Triggers => "Which requests or situations should make it kick in?",
        SpecFields.Examples => "What might someone actually say when they need it?",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not an interview field."),
    };

    /// <summary>The first phrasing for the field that has not been asked yet, or null when both have.</summary>
    public static string? NextFor(string field, IReadOnlyList<string> asked, bool primaryOnly) =>
        !QuestionOverlap.WasAsked(Primary(field), asked) ? Primary(field)
        : !primaryOnly && !QuestionOverlap.WasAsked(Alternate(field), asked) ? Alternate(field)
        : null;

    /// <summary>Why the question matters and what a good answer looks like, with the agent's suggestion when it has one.</summary>
    public static string Hint(SkillContext c, string field) => field switch
    {
        SpecFields.Purpose => "A sentence like \"summarise pull requests for reviewers\" is plenty.",
        SpecFields.Name => SpecInference.Name(c) is { } name
            ? $"How about `{name}`? Names are lowercase words joined by hyphens, up to 64 characters."
            : "Names are lowercase words joined by hyphens, up to 64 characters.",
        SpecFields.Description => "This is what an agent reads to decide when to load the skill, so say what it does and when it applies"
            + (SpecInference.Description(c) is { } d ? $" — for example: \"{d}\"" : "."),
        SpecFields.WorkflowSteps => "A short list works well"
            + (SpecInference.WorkflowSteps(c) is { Count: > 0 } s ? $", e.g. \"Steps: {string.Join(", ", s.Select(PurposePhrase.Lower))}\"." : "."),
        SpecFields.Triggers => "Think of the requests or situations that should bring it up"
            + (SpecInference.Triggers(c) is { Count: > 0 } t ? $" — e.g. \"Use it when {t[0]}\"." : "."),
        SpecFields.Examples => SpecInference.Examples(c) is { Count: > 0 } e
            ? $"Something like \"{e[0]}\" is perfect."
            : "One or two real requests are perfect.",
        _ => "",
    };
}
