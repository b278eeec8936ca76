namespace SkillForge.Agent.Context;

/// <summary>A stored context that cannot be read as a <see cref="SkillContext"/>; the message says what was wrong.</summary>
public sealed class SkillContextFormatException(string message, Exception? innerException = null) : FormatException(message, innerException);
