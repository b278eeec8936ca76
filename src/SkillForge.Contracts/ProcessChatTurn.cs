namespace SkillForge.Contracts;

/// <summary>A user's chat turn. Answered with <see cref="ChatTurnReplied"/> or <see cref="ChatTurnRejected"/>.</summary>
/// <param name="TenantId">1–128 characters of [A-Za-z0-9._:-].</param>
/// <param name="SessionId">1–128 characters of [A-Za-z0-9._:-]. An unknown session is started.</param>
/// <param name="TurnId">Idempotency key chosen by the sender: a resend with the same id returns the stored reply.</param>
/// <param name="Text">1–16,384 characters (configurable), no NUL.</param>
/// <param name="UserId">Optional id of the user, for the sender's own correlation.</param>
/// <param name="SentAt">When the sender sent the turn.</param>
public sealed record ProcessChatTurn(
    string TenantId,
    string SessionId,
    Guid TurnId,
    string Text,
    string? UserId,
    DateTimeOffset SentAt);
