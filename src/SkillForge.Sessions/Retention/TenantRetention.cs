using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Retention;

/// <summary>
/// A tenant's own retention periods; a null period is the product's (<see cref="RetentionPolicy"/>). Every period is
/// between <see cref="MinPeriod"/> and <see cref="MaxPeriod"/>.
/// </summary>
public sealed record TenantRetention(
    string TenantId,
    TimeSpan? AbandonAfterIdle,
    TimeSpan? DeleteCompletedAfter,
    TimeSpan? DeleteAbandonedAfter,
    TimeSpan? DeleteAuditAfter,
    string ChangedBy,
    DateTimeOffset ChangedAt)
{
    public static readonly TimeSpan MinPeriod = TimeSpan.FromDays(1);

    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(3650);

    /// <summary>The periods a tenant's sessions live by: its own where it has one, else the product's.</summary>
    public RetentionPeriods Apply(RetentionPolicy policy) => new(
        AbandonAfterIdle ?? policy.AbandonAfterIdle,
        DeleteCompletedAfter ?? policy.DeleteCompletedAfter,
        DeleteAbandonedAfter ?? policy.DeleteAbandonedAfter,
        DeleteAuditAfter ?? policy.DeleteAuditAfter);

    /// <exception cref="InvalidSessionInputException">A period outside the bounds, or none at all.</exception>
    public static void ValidatePeriods(TimeSpan? abandonAfterIdle, TimeSpan? deleteCompletedAfter, TimeSpan? deleteAbandonedAfter, TimeSpan? deleteAuditAfter)
    {
        if (abandonAfterIdle is null && deleteCompletedAfter is null && deleteAbandonedAfter is null && deleteAuditAfter is null)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest,
                "Name at least one period to set (clearing a tenant's periods is a request of its own).");
        }
        ValidatePeriod(abandonAfterIdle, nameof(AbandonAfterIdle));
        ValidatePeriod(deleteCompletedAfter, nameof(DeleteCompletedAfter));
        ValidatePeriod(deleteAbandonedAfter, nameof(DeleteAbandonedAfter));
        ValidatePeriod(deleteAuditAfter, nameof(DeleteAuditAfter));
    }

    private static void ValidatePeriod(TimeSpan? period, string name)
    {
        if (period is { } p && (p < MinPeriod || p > MaxPeriod))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest,
                $"{name} must be between {MinPeriod.TotalDays:0} day and {MaxPeriod.TotalDays:0} days (was {p}).");
        }
    }
}

/// <summary>The four periods in force for a tenant.</summary>
public sealed record RetentionPeriods(TimeSpan AbandonAfterIdle, TimeSpan DeleteCompletedAfter, TimeSpan DeleteAbandonedAfter, TimeSpan DeleteAuditAfter);
