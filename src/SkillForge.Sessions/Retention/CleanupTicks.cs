using Dapper;
using SkillForge.Sessions.Hosting;

namespace SkillForge.Sessions.Retention;

/// <summary>
/// Claims of schedule ticks across instances, so that a tick sends one cleanup however many instances run and is
/// not lost when its send fails. The first instance to insert a tick's row owns it; it marks the tick sent once
/// <c>CleanupSessions</c> is on the broker. An unsent tick can be claimed again by its owner (retrying a failed
/// send) or, once <see cref="Lease"/> has passed, by anyone (the owner died between claim and send).
/// </summary>
/// <remarks>
/// A send that succeeded but whose mark failed (PostgreSQL away at that moment) is sent again on the retry: a
/// second cleanup for the same <c>AsOf</c> finds nothing left to do, so at-least-once is the safe side.
/// Marking a tick sent deletes the ticks more than <see cref="History"/> older than it, sent or not: nobody claims
/// them again (a start-up catches up on the latest tick only), and a per-minute schedule would otherwise add a row a
/// minute for good.
/// </remarks>
public sealed class CleanupTicks(MaintenanceDatabase database)
{
    /// <summary>How long a claim without a send holds off the other instances.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>How long ticks are kept before the one just sent, for an operator to see when the schedule ran.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(7);

    private const string Claim = """
        INSERT INTO cleanup_ticks (tick, claimed_by, claimed_at) VALUES (@Tick, @ClaimedBy, now())
        ON CONFLICT (tick) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, claimed_at = EXCLUDED.claimed_at
         WHERE cleanup_ticks.sent_at IS NULL
           AND (cleanup_ticks.claimed_by = EXCLUDED.claimed_by OR cleanup_ticks.claimed_at < now() - @Lease)
        """;

    private const string Sent = """
        UPDATE cleanup_ticks SET sent_at = now() WHERE tick = @Tick AND claimed_by = @ClaimedBy;
        DELETE FROM cleanup_ticks WHERE tick < @Tick - @History;
        """;

    /// <summary>True when <paramref name="claimedBy"/> now owns <paramref name="tick"/> and should send its cleanup.</summary>
    public async Task<bool> TryClaimAsync(DateTimeOffset tick, string claimedBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Claim, new { Tick = tick.UtcDateTime, ClaimedBy = claimedBy, Lease },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Records that the tick's cleanup is on the broker (nobody claims it again) and forgets old ticks.</summary>
    public async Task MarkSentAsync(DateTimeOffset tick, string claimedBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(Sent, new { Tick = tick.UtcDateTime, ClaimedBy = claimedBy, History },
            cancellationToken: cancellationToken));
    }
}
