namespace SkillForge.Agent.Context;

/// <summary>A file generated beside SKILL.md (a reference note or a script brief), by path relative to the skill folder.</summary>
public sealed record GeneratedResource(string Path, string Content);
