namespace SkillForge.Contracts;

/// <summary>
/// An erasure (<see cref="EraseSession"/> or <see cref="EraseUser"/>) that was not carried out: <c>legal_hold</c> when a
/// hold covers what it names. Nothing was erased by it (a hold placed while a user's erasure runs stops it where it
/// is); the same request succeeds once the hold is released.
/// </summary>
/// <param name="SessionId">The session, for an <see cref="EraseSession"/>.</param>
/// <param name="UserId">The user, for an <see cref="EraseUser"/>.</param>
public sealed record ErasureRefused(
    string TenantId,
    string? SessionId,
    string? UserId,
    string Code,
    string Reason)
{
    /// <summary>The <see cref="Code"/> of an erasure refused because a legal hold covers the data.</summary>
    public const string LegalHold = "legal_hold";
}
