using SkillForge.Agent.Context;
using SkillForge.Agent.SkillMd;

namespace SkillForge.Agent.Interview;

/// <summary>
/// The agent's own suggestions for fields the user did not give, derived from what is known (mostly the purpose).
/// Each returns null or an empty list when there is nothing to derive from.
/// </summary>
internal static class SpecInference
{
    public static string? Purpose(SkillContext c)
    {
        if (!string.IsNullOrWhiteSpace(c.Description))
        {
            var cut = c.Description.IndexOf(". Use ", StringComparison.OrdinalIgnoreCase);
            var first = cut < 0 ? c.Description : c.Description[..cut];
            return SpecExtractor.CleanItem(first, keepQuestionMark: false) is { Length: > 0 } p ? PurposePhrase.Lower(p) : null;
        }
        return c.SkillName is { } name && SkillNames.IsValid(name) ? $"work with {name.Replace('-', ' ')}" : null;
    }

    public static string? Name(SkillContext c)
    {
        var source = Source(c);
        if (source is null)
        {
            return null;
        }
        var words = Words.ContentWords(PurposePhrase.VerbPhrase(source) ?? source).Take(3);
        return SkillNames.Normalize(string.Join(' ', words));
    }

    public static string? Description(SkillContext c)
    {
        var purpose = Source(c);
        if (purpose is null)
        {
            return null;
        }
        var what = PurposePhrase.IsThirdPerson(purpose) ? Sentence(purpose)
            : PurposePhrase.VerbPhrase(purpose) is { } verb ? $"Helps {verb}."
            : $"Helps with {PurposePhrase.Lower(purpose)}.";
        var when = TriggerClauses.AsClause(c.Triggers.Count > 0 ? c.Triggers[0] : PurposePhrase.AsRequest(purpose));
        return $"{what} Use {when}.";
    }

    public static IReadOnlyList<string> Triggers(SkillContext c) => Source(c) is { } p ? [PurposePhrase.AsRequest(p)] : [];

    public static IReadOnlyList<string> WorkflowSteps(SkillContext c) => Source(c) is { } p
        ? PurposePhrase.VerbPhrase(p) is { } verb
            ? ["Collect the material the user shares", Upper(verb), "Share the result and offer to adjust it"]
            : ["Ask the user for the material to work on", $"Work through {PurposePhrase.Lower(p)}", "Share the result and offer to adjust it"]
        : [];

    public static IReadOnlyList<string> Examples(SkillContext c) => Source(c) is { } p ? [PurposePhrase.AsQuestion(p)] : [];

    /// <summary>Fills the given fields where something can be derived and records them as the agent's suggestions.</summary>
    public static SkillContext Fill(SkillContext c, IEnumerable<string> fields)
    {
        var filled = new List<string>();
        foreach (var field in fields.Where(f => !SpecFields.HasValue(c, f)))
        {
            var before = c;
            c = field switch
            {
                SpecFields.Purpose => c with { Purpose = Purpose(c) },
                SpecFields.Name => c with { SkillName = Name(c) },
                SpecFields.Description => c with { Description = Description(c) },
                SpecFields.WorkflowSteps => c with { WorkflowSteps = WorkflowSteps(c) },
                SpecFields.Triggers => c with { Triggers = Triggers(c) },
                SpecFields.Examples => c with { Examples = Examples(c) },
                _ => c,
            };
            if (!ReferenceEquals(before, c) && SpecFields.HasValue(c, field))
            {
                filled.Add(field);
            }
        }
        return c with { InferredFields = [.. c.InferredFields.Union(filled)] };
    }

    private static string? Source(SkillContext c) =>
        !string.IsNullOrWhiteSpace(c.Purpose) ? c.Purpose.Trim() : null;

    private static string Sentence(string text) => Upper(text.TrimEnd('.')) + ".";

    private static string Upper(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
