namespace SkillForge.Contracts.Operations;

/// <summary>
/// Published where <see cref="SessionsCleanedUp"/> would be when the worker refuses a <see cref="CleanupSessions"/>
/// that it would otherwise run: <c>as_of_in_future</c> for a real run dated later than now (plus a small clock skew).
/// </summary>
public sealed record CleanupRefused(
    DateTimeOffset AsOf,
    bool DryRun,
    string Code,
    string Reason);
