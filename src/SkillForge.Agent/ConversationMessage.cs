namespace SkillForge.Agent;

/// <summary>A stored message of the sliding window.</summary>
/// <param name="Role"><see cref="User"/> or <see cref="Assistant"/>.</param>
public sealed record ConversationMessage(string Role, string Content)
{
    public const string User = "user";
    public const string Assistant = "assistant";
}
