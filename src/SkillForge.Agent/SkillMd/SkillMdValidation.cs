namespace SkillForge.Agent.SkillMd;

/// <summary>What <see cref="SkillMdValidator"/> found: the errors in plain words, and the frontmatter values it read.</summary>
public sealed record SkillMdValidation(IReadOnlyList<string> Errors, string? Name, string? Description)
{
    public bool IsValid => Errors.Count == 0;
}
