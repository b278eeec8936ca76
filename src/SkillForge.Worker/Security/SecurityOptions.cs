using System.ComponentModel.DataAnnotations;

namespace SkillForge.Worker.Security;

/// <summary>Who may send the operator messages, and how far a sender's clock may run ahead. Bound from <c>Security</c>.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>The operator user trusted when <see cref="OperatorUsers"/> names none.</summary>
    public static readonly IReadOnlyList<string> DefaultOperatorUsers = ["skillforge-operator"];

    /// <summary>
    /// The broker users of operators (the CLI, people in the management UI); <see cref="DefaultOperatorUsers"/> when none
    /// is configured. The worker's own user is its <c>RabbitMq:Username</c>. Empty here rather than the default: the
    /// configuration binder appends to an array it finds filled, so a configured list could never leave the default out.
    /// </summary>
    [MinLength(1)]
    public string[] OperatorUsers { get; set; } = [];

    /// <summary>How far in the future a real cleanup's <c>AsOf</c> or a queued write's time may lie: clocks of machines differ a little.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
