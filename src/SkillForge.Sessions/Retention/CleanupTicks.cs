using Dapper;

namespace SkillForge.Sessions.Retention;

/// <summary>
/// Exactly-once claims of schedule ticks across instances: the first instance to insert a tick's row sends that
/// tick's cleanup; every other instance sees the row and does nothing.
/// </summary>
public sealed class CleanupTicks(MaintenanceDatabase database)
{
    private const string Claim = """
        INSERT INTO cleanup_ticks (tick, claimed_by, claimed_at) VALUES (@Tick, @ClaimedBy, now())
        ON CONFLICT (tick) DO NOTHING
        """;

    /// <summary>True for the one caller that claims <paramref name="tick"/>.</summary>
    public async Task<bool> TryClaimAsync(DateTimeOffset tick, string claimedBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(Claim, new { Tick = tick.UtcDateTime, ClaimedBy = claimedBy },
            cancellationToken: cancellationToken)) == 1;
    }
}
