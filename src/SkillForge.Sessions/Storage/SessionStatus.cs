namespace SkillForge.Sessions.Storage;

/// <summary>Lifecycle of a session row; the wire strings of <c>ChatTurnReplied.Status</c>.</summary>
public static class SessionStatus
{
    public const string Active = "active";
    public const string Completed = "completed";
    public const string Abandoned = "abandoned";

    public static bool IsKnown(string status) => status is Active or Completed or Abandoned;

    public static bool IsClosed(string status) => status is Completed or Abandoned;
}
