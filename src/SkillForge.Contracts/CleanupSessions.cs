namespace SkillForge.Contracts;

/// <summary>Applies the retention policy. Sent on a schedule or by an operator; publishes <see cref="SessionsCleanedUp"/>.</summary>
/// <param name="AsOf">The moment the retention rules are measured from; default now.</param>
/// <param name="DryRun">Count what would happen and change nothing.</param>
public sealed record CleanupSessions(
    DateTimeOffset? AsOf,
    bool DryRun);
