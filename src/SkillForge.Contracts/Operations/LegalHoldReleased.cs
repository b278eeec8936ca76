namespace SkillForge.Contracts.Operations;

/// <summary>The answer to <see cref="ReleaseLegalHold"/>.</summary>
/// <param name="Hold">The hold released, or null when none was in force on the scope.</param>
public sealed record LegalHoldReleased(
    string TenantId,
    LegalHoldInfo? Hold);
