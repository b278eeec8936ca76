namespace SkillForge.Client;

/// <summary>The worker's queues, named for operators (DESIGN.md §6). Clients send requests straight to them.</summary>
public static class SkillForgeQueues
{
    public const string ChatTurns = "skillforge-chat-turns";
    public const string SessionHistory = "skillforge-session-history";
    public const string SessionErasure = "skillforge-session-erasure";
    public const string Cleanup = "skillforge-cleanup";

    public static Uri Address(string queue) => new($"queue:{queue}");
}
