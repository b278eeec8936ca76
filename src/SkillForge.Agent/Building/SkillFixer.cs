using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.SkillMd;

namespace SkillForge.Agent.Building;

/// <summary>
/// Repairs a spec whose SKILL.md failed validation, least invasive first: attempt 1 tidies (kebab-case name, one-line
/// text), attempt 2 also derives what is missing from the purpose, attempt 3 also shortens to the limits. Each note
/// says what changed, so the user is told rather than surprised.
/// </summary>
internal static class SkillFixer
{
    public static SkillContext Fix(SkillContext c, int attempt, List<string> notes)
    {
        if (!SkillNames.IsValid(c.SkillName) && SkillNames.Normalize(c.SkillName) is { } normalized)
        {
            notes.Add($"made the name kebab-case (`{normalized}`)");
            c = c with { SkillName = normalized };
        }
        if (c.Description is { } description && SkillMdGenerator.OneLine(description) != description)
        {
            c = c with { Description = SkillMdGenerator.OneLine(description) };
        }
        if (attempt >= 2)
        {
            var missing = SpecFields.Missing(c);
            if (!SkillNames.IsValid(c.SkillName))
            {
                missing = [.. missing.Append(SpecFields.Name).Distinct()];
                c = c with { SkillName = null };
            }
            var filled = SpecInference.Fill(c, [SpecFields.Purpose, .. missing]);
            foreach (var field in filled.InferredFields.Except(c.InferredFields))
            {
                notes.Add($"suggested the missing {field.Replace('_', ' ')}");
            }
            c = filled;
        }
        if (attempt >= 3)
        {
            c = Shrink(c, notes);
        }
        return c;
    }

    private static SkillContext Shrink(SkillContext c, List<string> notes)
    {
        if (c.Description is { Length: > SkillMdLimits.MaxDescriptionLength } tooLong)
        {
            notes.Add($"shortened the description to {SkillMdLimits.MaxDescriptionLength} characters");
            c = c with { Description = Cut(tooLong, SkillMdLimits.MaxDescriptionLength) };
        }
        var before = c;
        c = c with
        {
            Purpose = c.Purpose is { } p ? Cut(p, SkillMdLimits.MaxItemLength) : null,
            Capabilities = Trim(c.Capabilities),
            Examples = Trim(c.Examples),
            WorkflowSteps = Trim(c.WorkflowSteps),
            Triggers = Trim(c.Triggers),
            ReferenceTopics = Trim(c.ReferenceTopics),
            ScriptsNeeded = Trim(c.ScriptsNeeded),
            AllowedTools = Trim(c.AllowedTools),
        };
        if (c != before)
        {
            notes.Add($"kept lists to {SkillMdLimits.MaxItemsPerSection} items of at most {SkillMdLimits.MaxItemLength} characters");
        }
        return c;
    }

    private static IReadOnlyList<string> Trim(IReadOnlyList<string> items) =>
        items.Count <= SkillMdLimits.MaxItemsPerSection && items.All(i => i.Length <= SkillMdLimits.MaxItemLength)
            ? items
            : [.. items.Take(SkillMdLimits.MaxItemsPerSection).Select(i => Cut(i, SkillMdLimits.MaxItemLength))];

    /// <summary>Cuts at a word boundary and marks the cut, within <paramref name="max"/> characters.</summary>
    private static string Cut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = text[..(max - 1)];
        var space = cut.LastIndexOf(' ');
        return (space > max / 2 ? cut[..space] : cut).TrimEnd() + "…";
    }
}
