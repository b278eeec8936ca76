using Dapper;
using Npgsql;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

public sealed class TenantIsolationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Should_block_a_query_that_forgets_its_tenant_filter()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var mine = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);
        var theirs = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 2);

        await using var connection = await SharedDatabase.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SELECT set_config('skillforge.tenant_id', @t, true)", new { t = mine.TenantId }, transaction);
        // A buggy query: no tenant filter at all, and one naming the other tenant outright.
        var visibleTenants = (await connection.QueryAsync<string>("SELECT DISTINCT tenant_id FROM turns", transaction: transaction)).ToList();
        // The view of one row a message (migration 0005) runs as its reader, so the same policy applies through it.
        var visibleThroughView = (await connection.QueryAsync<string>("SELECT DISTINCT tenant_id FROM messages", transaction: transaction)).ToList();
        var theirRows = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM sessions WHERE tenant_id = @t", new { t = theirs.TenantId }, transaction);
        var updated = await connection.ExecuteAsync(
            "UPDATE sessions SET state = 'hijacked' WHERE tenant_id = @t", new { t = theirs.TenantId }, transaction);

        Assert.Equal([mine.TenantId], visibleTenants);
        Assert.Equal([mine.TenantId], visibleThroughView);
        Assert.Equal(0, theirRows);
        Assert.Equal(0, updated);
    }

    [Fact]
    public async Task Should_see_nothing_when_no_tenant_is_named()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);

        await using var connection = await SharedDatabase.App.OpenConnectionAsync();

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM sessions"));
    }

    [Fact]
    public async Task Should_refuse_to_write_a_row_for_another_tenant()
    {
        await SharedDatabase.EnsureMigratedAsync();
        await using var connection = await SharedDatabase.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SELECT set_config('skillforge.tenant_id', @t, true)", new { t = TestIds.Tenant() }, transaction);

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("""
            INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at, last_activity_at)
            VALUES (@t, 's', 'idle', 'active', '{}', 1, 0, now(), now(), now())
            """, new { t = TestIds.Tenant() }, transaction));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task Should_keep_the_runtime_role_away_from_superuser_and_table_ownership()
    {
        await SharedDatabase.EnsureMigratedAsync();
        await using var connection = await SharedDatabase.App.OpenConnectionAsync();

        var role = await connection.QuerySingleAsync<(bool Super, bool BypassRls)>(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
        var owned = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user");

        Assert.Equal((false, false), role);
        Assert.Equal(0, owned);
    }
}
