namespace SkillForge.Sessions.Storage;

/// <summary>A finished skill of a tenant, as the agent may offer it to a new conversation.</summary>
/// <param name="Layer">Where it was saved, as the session recorded it; null for skills completed before that was recorded.</param>
/// <param name="Owner">The user the session belonged to; null when none was named.</param>
public sealed record CompletedSkill(string Name, string Description, string? Layer, string? Owner);
