namespace SkillForge.Sessions.Storage;

/// <summary>One message of a session's append-only log.</summary>
public sealed record StoredMessage(long Seq, string Role, string Content, Guid TurnId, DateTimeOffset CreatedAt);
