namespace SkillForge.Sessions.Retention;

/// <summary>
/// A legal hold: while it is in force (not released), the cleanup purges nothing it covers and erasure is refused.
/// It covers one session (<see cref="SessionId"/>), every session of one user (<see cref="UserId"/>), or, naming
/// neither, the whole tenant.
/// </summary>
public sealed record LegalHold(
    long Id,
    string TenantId,
    string? SessionId,
    string? UserId,
    string Reason,
    string PlacedBy,
    DateTimeOffset PlacedAt,
    string? ReleasedBy,
    DateTimeOffset? ReleasedAt)
{
    public const int MaxReasonLength = 500;

    public const int MaxActorLength = 200;

    /// <summary>"session", "user" or "tenant": what the hold covers.</summary>
    public string Scope => SessionId is not null ? "session" : UserId is not null ? "user" : "tenant";
}
