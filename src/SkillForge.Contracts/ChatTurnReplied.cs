namespace SkillForge.Contracts;

/// <summary>The agent's reply to a <see cref="ProcessChatTurn"/>; the turn is durably stored.</summary>
/// <param name="State">Agent state after the turn, snake_case (e.g. <c>gathering_details</c>).</param>
/// <param name="Status"><c>active</c>, <c>completed</c> or <c>abandoned</c>.</param>
/// <param name="Version">Turns applied to the session so far.</param>
/// <param name="MessageCount">Messages stored for the session (user and assistant).</param>
/// <param name="Resumed">The session was restored from PostgreSQL rather than the cache.</param>
/// <param name="Replayed">This TurnId was applied before: the stored reply is returned and nothing was written.</param>
public sealed record ChatTurnReplied(
    string TenantId,
    string SessionId,
    Guid TurnId,
    string Reply,
    string State,
    string Status,
    long Version,
    int MessageCount,
    bool Resumed,
    bool Replayed);
