using System.ComponentModel.DataAnnotations;

namespace SkillForge.Worker.Hosting;

/// <summary>Bound from the <c>Worker</c> section; validated at start-up.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Apply pending schema migrations before consuming (the CLI's <c>migrate</c> does the same by hand).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Messages the broker may push ahead of acknowledgement, per endpoint.</summary>
    [Range(1, 1_000)]
    public int PrefetchCount { get; set; } = 32;

    /// <summary>Chat turns processed at once; turns of one session are still applied one at a time.</summary>
    [Range(1, 512)]
    public int ChatTurnConcurrency { get; set; } = 16;

    /// <summary>
    /// Turns of one session that may wait behind the one being processed; past that a turn is answered
    /// <c>session_busy</c> at once, so one session can hold at most this many + 1 of the concurrent-message slots.
    /// </summary>
    [Range(0, 1_000)]
    public int MaxTurnsWaitingPerSession { get; set; } = 8;

    /// <summary>
    /// Turns of one tenant this worker processes at once (running or waiting); past that a turn is answered
    /// <c>rate_limited</c>. 0: no limit, for a worker that serves one tenant.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxTurnsInFlightPerTenant { get; set; }

    /// <summary>The delay a <c>rate_limited</c> answer asks the sender to wait.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RateLimitedRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a turn is recomputed after losing a version race before it is retried as a fault.</summary>
    [Range(1, 50)]
    public int TurnAttempts { get; set; } = 5;

    /// <summary>
    /// How long a turn waits out a PostgreSQL outage before it is answered <c>unavailable</c>; keep it under the
    /// clients' request timeout (30 s by default) so they hear the answer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan UnavailableAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Answer turns of cached sessions while PostgreSQL is down and queue their writes (skillforge-pending-writes);
    /// off, such turns wait and are answered <c>unavailable</c> like any other.
    /// </summary>
    public bool WriteBehind { get; set; } = true;

    /// <summary>
    /// How long Redis keeps a session whose newest writes are still queued (instead of the sliding TTL): longer than
    /// any PostgreSQL outage plus the time to drain the queue after it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan WriteBehindHold { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long the bus may go without being Healthy before <c>/health/live</c> fails and the orchestrator restarts the
    /// worker (<see cref="BusLivenessCheck"/>): longer than a broker restart or failover takes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan BusStuckAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long any message the worker sends (a reply, a queued write, the cleanup's schedule and report) may take
    /// before it counts as failed and its message is retried (<see cref="SendDeadline"/>): well over a healthy
    /// publish's confirmation (milliseconds), under the clients' request timeout (30 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a stop (SIGTERM) waits for in-flight messages before the host gives up on them.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
