namespace SkillForge.Sessions;

/// <summary>
/// One applied turn: the user's message, the assistant's reply, and the session's state afterwards.
/// <see cref="ExpectedVersion"/> is the version the turn was computed from (0 for a new session).
/// </summary>
public sealed record TurnToAppend(
    SessionKey Key,
    Guid TurnId,
    long ExpectedVersion,
    string UserText,
    string Reply,
    string PreviousState,
    string State,
    string Status,
    string? SkillName,
    string? SkillDescription,
    string ContextJson,
    DateTimeOffset At);
