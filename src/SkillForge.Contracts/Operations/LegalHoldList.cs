namespace SkillForge.Contracts.Operations;

/// <summary>The answer to <see cref="ListLegalHolds"/>.</summary>
/// <param name="Holds">Oldest first within a tenant; at most 1,000.</param>
public sealed record LegalHoldList(
    IReadOnlyList<LegalHoldInfo> Holds);
