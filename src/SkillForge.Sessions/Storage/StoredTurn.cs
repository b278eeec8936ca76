namespace SkillForge.Sessions.Storage;

/// <summary>A turn already in the log: what a resend of its turn id is answered with.</summary>
/// <param name="Version">The session version this turn produced.</param>
/// <param name="MessageCount">Messages in the session once this turn was applied.</param>
public sealed record StoredTurn(Guid TurnId, string Reply, long Version, int MessageCount);
