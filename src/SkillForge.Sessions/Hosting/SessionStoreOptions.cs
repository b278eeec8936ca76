using System.ComponentModel.DataAnnotations;

namespace SkillForge.Sessions.Hosting;

/// <summary>Limits of the session store; bound from the <c>Sessions</c> configuration section.</summary>
public sealed class SessionStoreOptions
{
    public const string Section = "Sessions";

    /// <summary>Longest accepted message text, in characters (16,384 by default).</summary>
    [Range(1, 1_000_000)]
    public int MaxTextLength { get; set; } = 16_384;

    /// <summary>
    /// The most a history page's messages may take as JSON, in bytes (2 MiB by default): a page of a thousand long
    /// messages is cut short (with <c>HasMore</c>) rather than exceed what the broker accepts in one message (4 MiB).
    /// </summary>
    [Range(64 * 1024, 3 * 1024 * 1024)]
    public int MaxHistoryPageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>How many of the latest messages a load returns and the cache keeps: the agent's sliding window.</summary>
    [Range(2, 1_000)]
    public int WindowSize { get; set; } = 20;

    /// <summary>How long an untouched session stays in Redis (sliding).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long an erasure's marker stays in Redis: longer than any turn can be in flight (its model calls, retries and
    /// outage waits), so a turn that committed just before the erasure cannot cache the erased session after it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan ErasureMarkerTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the cache is bypassed after a Redis failure before it is tried again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
