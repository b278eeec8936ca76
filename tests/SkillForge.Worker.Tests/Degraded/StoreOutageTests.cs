using Npgsql;
using SkillForge.Testing;
using SkillForge.Worker.Resilience;

namespace SkillForge.Worker.Tests.Degraded;

/// <summary>
/// The faults of a failover, raised by the real server: with several hosts, a moment when none takes writes; a
/// server gone read-only under an open connection. Both are an outage to wait out (and write-behind to keep), not a
/// fault of the statement, which stays one.
/// </summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task Should_take_no_host_that_takes_writes_for_an_outage()
    {
        // The only server is a primary, so asking for a standby finds no suitable host: what a failover looks like.
        var server = new NpgsqlConnectionStringBuilder(TestServers.Postgres);
        var standbyOnly = new NpgsqlConnectionStringBuilder(TestServers.Postgres)
        {
            Host = $"{server.Host}:{server.Port},{server.Host}:{server.Port}",
            TargetSessionAttributes = "standby",
            Pooling = false,
        };
        await using var connection = new NpgsqlConnection(standbyOnly.ConnectionString);

        var e = await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());

        Assert.True(StoreOutage.IsUnavailable(e), $"{e.GetType().Name}: {e.Message}");
    }

    [Fact]
    public async Task Should_take_a_server_gone_read_only_for_an_outage_and_a_bad_statement_for_a_fault()
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres + ";Pooling=false");
        await connection.OpenAsync();
        await using (var readOnly = new NpgsqlCommand("SET default_transaction_read_only = on", connection))
        {
            await readOnly.ExecuteNonQueryAsync();
        }

        await using var write = new NpgsqlCommand("CREATE TEMPORARY SEQUENCE outage_probe", connection);
        var readOnlyError = await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync());
        await using var bad = new NpgsqlCommand("SELECT * FROM no_such_table", connection);
        var statementError = await Assert.ThrowsAsync<PostgresException>(() => bad.ExecuteNonQueryAsync());

        Assert.True(StoreOutage.IsUnavailable(readOnlyError), readOnlyError.Message);
        Assert.False(StoreOutage.IsUnavailable(statementError), statementError.Message);
    }
}
