namespace SkillForge.Agent.SkillMd;

/// <summary>The limits a SKILL.md must keep (the Agent Skills format: name ≤ 64, description ≤ 1024, a body agents can load cheaply).</summary>
public static class SkillMdLimits
{
    public const int MaxNameLength = 64;
    public const int MaxDescriptionLength = 1024;

    /// <summary>Skill bodies are loaded into an agent's context whole; past ~500 lines the guidance is to split into references.</summary>
    public const int MaxLines = 500;

    public const int MaxCharacters = 32 * 1024;

    /// <summary>Longest single list item or paragraph the generator keeps once the fixer has had to shorten things.</summary>
    public const int MaxItemLength = 400;

    public const int MaxItemsPerSection = 20;
}
