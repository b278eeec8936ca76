namespace SkillForge.Sessions.Storage;

/// <summary>Who wrote a message.</summary>
public static class MessageRole
{
    public const string User = "user";
    public const string Assistant = "assistant";

    public static bool IsKnown(string role) => role is User or Assistant;
}
