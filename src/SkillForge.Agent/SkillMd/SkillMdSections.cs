namespace SkillForge.Agent.SkillMd;

/// <summary>The section headings every generated SKILL.md has and the validator requires.</summary>
public static class SkillMdSections
{
    public const string Purpose = "Purpose";
    public const string WhenToUse = "When to use";
    public const string Workflow = "Workflow";
    public const string Examples = "Examples";

    public static IReadOnlyList<string> Required { get; } = [Purpose, WhenToUse, Workflow, Examples];
}
