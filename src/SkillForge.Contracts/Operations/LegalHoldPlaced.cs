namespace SkillForge.Contracts.Operations;

/// <summary>The answer to <see cref="PlaceLegalHold"/>.</summary>
/// <param name="PlacedNow">False when a hold was already in force on the scope (that hold is the one shown).</param>
public sealed record LegalHoldPlaced(
    LegalHoldInfo Hold,
    bool PlacedNow);
