using Dapper;
using MassTransit;
using Npgsql;
using SkillForge.Harness;

namespace SkillForge.Bench;

/// <summary>What the benchmark reads from the server beside the turns: WAL written, autovacuum at work, a busy core as the control.</summary>
internal static partial class CleanupBenchmark
{
    /// <summary>One PostgreSQL backend busy on one core for <paramref name="duration"/>: a loop of nothing, ended by its statement timeout.</summary>
    private static async Task BusyCoreAsync(ScratchDatabase database, TimeSpan duration)
    {
        await using var connection = await database.Admin.OpenConnectionAsync();
        await connection.ExecuteAsync($"SET statement_timeout = {(int)duration.TotalMilliseconds}");
        try
        {
            await connection.ExecuteAsync("DO $$BEGIN LOOP PERFORM 1; END LOOP; END$$", commandTimeout: (int)duration.TotalSeconds + 30);
            throw new InvalidOperationException("The busy loop ended without its statement timeout.");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            // Its end: the timeout cancelled it.
        }
        finally
        {
            await connection.ExecuteAsync("RESET statement_timeout");
        }
    }

    private static async Task<long> WalPositionAsync(ScratchDatabase database)
    {
        await using var connection = await database.Admin.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint");
    }

    /// <summary>Runs a phase and says which tables autovacuum worked on meanwhile (polled every 250 ms): a stall it explains.</summary>
    private static async Task<T> WithAutovacuumWatchAsync<T>(ScratchDatabase database, string phase, Func<Task<T>> measure)
    {
        using var stop = new CancellationTokenSource();
        var seen = new HashSet<string>();
        var watch = Task.Run(async () =>
        {
            await using var connection = await database.Admin.OpenConnectionAsync();
            while (!stop.IsCancellationRequested)
            {
                seen.UnionWith(await connection.QueryAsync<string>(
                    "SELECT query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database() AND query <> ''"));
                await Task.Delay(250, CancellationToken.None);
            }
        });
        var result = await measure();
        await stop.CancelAsync();
        await watch;
        if (seen.Count > 0)
        {
            Console.WriteLine($"  autovacuum during the {phase}: {string.Join("; ", seen)}");
        }
        return result;
    }
}
