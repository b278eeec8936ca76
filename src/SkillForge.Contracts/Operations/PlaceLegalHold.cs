namespace SkillForge.Contracts.Operations;

/// <summary>
/// Places a legal hold, an operator request: while it is in force, the cleanup purges nothing it covers and erasure
/// is refused (<see cref="ErasureRefused"/>, <c>legal_hold</c>). It covers one session (<paramref name="SessionId"/>),
/// every session of one user (<paramref name="UserId"/>), or, naming neither, the whole tenant. Placing it again on
/// the same scope answers the hold already there. Answered with <see cref="LegalHoldPlaced"/> or <see cref="OperatorRequestRejected"/>.
/// </summary>
/// <param name="Reason">Why (a case number, a regulator's request): 1–500 characters, kept with the hold.</param>
/// <param name="PlacedBy">Who asked for it, as the operator names them; the audit adds the broker user that sent it.</param>
public sealed record PlaceLegalHold(
    string TenantId,
    string? SessionId,
    string? UserId,
    string Reason,
    string PlacedBy);
