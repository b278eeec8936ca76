namespace SkillForge.Contracts;

/// <summary>A <see cref="ProcessChatTurn"/> that was not applied; nothing was written.</summary>
/// <param name="Code">Machine-readable reason: <c>invalid_request</c>, <c>too_large</c>, <c>session_closed</c>, <c>unavailable</c>, …</param>
/// <param name="Reason">What went wrong, for a person.</param>
public sealed record ChatTurnRejected(
    string TenantId,
    string SessionId,
    Guid TurnId,
    string Code,
    string Reason);
