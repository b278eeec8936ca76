using System.ComponentModel.DataAnnotations;

namespace SkillForge.Client;

/// <summary>Bound from the <c>SkillForgeClient</c> configuration section.</summary>
public sealed class SkillForgeClientOptions
{
    /// <summary>The configuration section these settings are bound from.</summary>
    public const string Section = "SkillForgeClient";

    /// <summary>How long one attempt waits for the worker's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the send of a request may take on top of <see cref="RequestTimeout"/> before the attempt is given up
    /// (a publish whose confirmation never comes). MassTransit's request timeout only starts once the message is out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SendGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a chat turn is sent in all when no answer comes back in time. Every attempt carries the same
    /// TurnId, so a turn that was applied but whose answer was lost is replayed, never applied twice.
    /// </summary>
    [Range(1, 10)]
    public int TurnAttempts { get; set; } = 3;
}
