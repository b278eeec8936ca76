namespace SkillForge.Sessions;

/// <summary>A skill a tenant has completed, so the agent can offer it before writing a near-duplicate.</summary>
public sealed record CompletedSkill(string Name, string Description);
