using System.ComponentModel.DataAnnotations;

namespace SkillForge.Worker.Cleanup;

/// <summary>Bound from the <c>Cleanup</c> section.</summary>
public sealed class CleanupScheduleOptions : IValidatableObject
{
    public const string Section = "Cleanup";

    /// <summary>Send scheduled cleanups from this instance (every instance may: each tick is claimed once).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Quartz cron expression with seconds, evaluated in UTC. Default: daily at 03:00.</summary>
    [Required]
    public string Cron { get; set; } = "0 0 3 * * ?";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Quartz.CronExpression.TryParse(Cron, out _))
        {
            yield return new ValidationResult($"Cleanup:Cron '{Cron}' is not a valid Quartz cron expression (seconds minutes hours day month weekday).", [nameof(Cron)]);
        }
    }
}
