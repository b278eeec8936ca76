namespace SkillForge.Sessions;

/// <summary>What an erasure removed.</summary>
public sealed record ErasureResult(bool Existed, int MessagesDeleted);
