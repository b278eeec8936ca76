using SkillForge.Agent.Context;
using SkillForge.Agent.SkillMd;

namespace SkillForge.Agent.Interview;

/// <summary>
/// What one user message said about the spec. Scalars replace what was known; list items are added, except that an
/// explicit plural label ("Steps: a, b") replaces the list, so a user can correct it during confirmation.
/// </summary>
internal sealed class ExtractedFacts
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Purpose { get; set; }
    public string? StorageLayer { get; set; }
    public List<string> Capabilities { get; } = [];
    public List<string> Examples { get; } = [];
    public List<string> WorkflowSteps { get; } = [];
    public List<string> Triggers { get; } = [];
    public List<string> ReferenceTopics { get; } = [];
    public List<string> ScriptsNeeded { get; } = [];
    public List<string> AllowedTools { get; } = [];

    /// <summary>List fields whose values replace rather than extend what was known.</summary>
    public HashSet<string> Replaced { get; } = [];

    /// <summary>Sentences that matched nothing; the caller decides whether they are details worth keeping.</summary>
    public List<string> Unplaced { get; } = [];

    /// <summary>Fields the user left to the agent ("you decide", "no idea").</summary>
    public HashSet<string> LeftToAgent { get; } = [];

    public bool HasSpecFacts =>
        Name is not null || Description is not null || Purpose is not null || Capabilities.Count + Examples.Count + WorkflowSteps.Count
        + Triggers.Count + ReferenceTopics.Count + ScriptsNeeded.Count + AllowedTools.Count > 0;

    public List<string>? ListFor(string field) => field switch
    {
        SpecFields.Examples => Examples,
        SpecFields.WorkflowSteps => WorkflowSteps,
        SpecFields.Triggers => Triggers,
        _ => null,
    };

    public SkillContext ApplyTo(SkillContext c)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        if (Name is not null) { given.Add(SpecFields.Name); }
        if (Description is not null) { given.Add(SpecFields.Description); }
        if (Purpose is not null) { given.Add(SpecFields.Purpose); }
        if (Examples.Count > 0) { given.Add(SpecFields.Examples); }
        if (WorkflowSteps.Count > 0) { given.Add(SpecFields.WorkflowSteps); }
        if (Triggers.Count > 0) { given.Add(SpecFields.Triggers); }

        return c with
        {
            SkillName = Name ?? c.SkillName,
            Description = Description ?? c.Description,
            Purpose = Purpose ?? c.Purpose,
            StorageLayer = StorageLayer ?? c.StorageLayer,
            Capabilities = Merge(c.Capabilities, Capabilities, "capabilities"),
            Examples = Merge(c.Examples, Examples, SpecFields.Examples),
            WorkflowSteps = Merge(c.WorkflowSteps, WorkflowSteps, SpecFields.WorkflowSteps),
            Triggers = Merge(c.Triggers, Triggers, SpecFields.Triggers),
            ReferenceTopics = Merge(c.ReferenceTopics, ReferenceTopics, "reference_topics"),
            ScriptsNeeded = Merge(c.ScriptsNeeded, ScriptsNeeded, "scripts_needed"),
            AllowedTools = Merge(c.AllowedTools, AllowedTools, "allowed_tools"),
            // What the user said is no longer the agent's guess.
            InferredFields = [.. c.InferredFields.Where(f => !given.Contains(f))],
        };
    }

    /// <summary>A guessed name must still be a valid one; anything else the user typed is kept as said.</summary>
    public void SetName(string raw)
    {
        if (SkillNames.Normalize(raw) is { } name)
        {
            Name = name;
        }
    }

    private IReadOnlyList<string> Merge(IReadOnlyList<string> known, List<string> added, string field)
    {
        if (added.Count == 0)
        {
            return known;
        }
        var start = Replaced.Contains(field) ? [] : known;
        return [.. start.Concat(added).Where(i => i.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}
