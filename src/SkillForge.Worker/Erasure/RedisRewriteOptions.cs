using System.ComponentModel.DataAnnotations;

namespace SkillForge.Worker.Erasure;

/// <summary>Bound from the <c>Erasure</c> section.</summary>
public sealed class RedisRewriteOptions
{
    public const string Section = "Erasure";

    /// <summary>
    /// How often, after an erasure in this instance, Redis is asked to rewrite its append-only file, so that erased text
    /// leaves the files on disk too (until the rewrite it is still in the log of commands). Zero: never.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan AofRewriteInterval { get; set; } = TimeSpan.FromHours(1);
}
