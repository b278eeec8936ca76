namespace SkillForge.Agent;

/// <summary>A completed skill of the same tenant, offered instead of writing a near-duplicate.</summary>
public sealed record ExistingSkill(string Name, string Description);
