namespace SkillForge.Sessions.Hosting;

/// <summary>A required setting (a connection string) is not configured; the message names it and how to set it.</summary>
public sealed class MissingSettingException(string message) : InvalidOperationException(message);
