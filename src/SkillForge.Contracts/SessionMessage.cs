namespace SkillForge.Contracts;

/// <summary>One stored message of a session.</summary>
/// <param name="Seq">1, 2, 3 … per session.</param>
/// <param name="Role"><c>user</c> or <c>assistant</c>.</param>
public sealed record SessionMessage(
    long Seq,
    string Role,
    string Content,
    DateTimeOffset CreatedAt);
