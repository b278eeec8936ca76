using Dapper;
using Npgsql;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

/// <summary>
/// What each database role may do, tried against the real server as that role: the runtime roles (chat turns,
/// maintenance) change rows but never the schema, and row-level security binds the table owner as well.
/// </summary>
public sealed class DatabaseRoleTests
{
    public static TheoryData<string, string> DdlAttempts()
    {
        var statements = new[]
        {
            "CREATE TABLE stolen (id int)",
            "DROP TABLE turns",
            "ALTER TABLE sessions DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE sessions NO FORCE ROW LEVEL SECURITY",
            "DROP POLICY tenant_isolation ON sessions",
            "CREATE POLICY everything ON sessions USING (true)",
            "ALTER TABLE session_audit ADD COLUMN note text",
            "TRUNCATE sessions",
            "CREATE FUNCTION stolen() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        };
        var data = new TheoryData<string, string>();
        foreach (var role in new[] { "runtime", "maintenance" })
        {
            foreach (var statement in statements)
            {
                data.Add(role, statement);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DdlAttempts))]
    public async Task Should_refuse_schema_changes_to_the_runtime_roles(string role, string statement)
    {
        await SharedDatabase.EnsureMigratedAsync();
        await using var connection = await (role == "runtime" ? SharedDatabase.App : SharedDatabase.Maintenance).OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(statement, transaction: transaction));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Theory]
    [InlineData("runtime")]
    [InlineData("maintenance")]
    public async Task Should_give_the_runtime_roles_no_way_around_row_level_security(string role)
    {
        await SharedDatabase.EnsureMigratedAsync();
        await using var connection = await (role == "runtime" ? SharedDatabase.App : SharedDatabase.Maintenance).OpenConnectionAsync();

        var (super, bypass, owner) = await connection.QuerySingleAsync<(bool, bool, bool)>("""
            SELECT r.rolsuper, r.rolbypassrls, pg_has_role(current_user, t.tableowner, 'USAGE')
              FROM pg_roles r, pg_tables t
             WHERE r.rolname = current_user AND t.tablename = 'sessions'
            """);

        Assert.False(super);
        Assert.False(bypass);
        Assert.False(owner);
    }

    [Fact]
    public async Task Should_show_the_table_owner_no_tenant_rows_unless_it_names_the_tenant()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);

        await using var connection = await SharedDatabase.Admin.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        const string count = "SELECT (SELECT count(*) FROM sessions WHERE session_id = @SessionId) + (SELECT count(*) FROM turns WHERE session_id = @SessionId)";
        var unnamed = await connection.ExecuteScalarAsync<long>(count, key, transaction);
        var deleted = await connection.ExecuteAsync("DELETE FROM sessions WHERE session_id = @SessionId", key, transaction);
        await connection.ExecuteAsync("SELECT set_config('skillforge.tenant_id', @TenantId, true)", key, transaction);
        var named = await connection.ExecuteScalarAsync<long>(count, key, transaction);

        Assert.Equal(0, unnamed);
        Assert.Equal(0, deleted);
        Assert.Equal(2, named);
    }

    [Fact]
    public async Task Should_let_the_maintenance_role_see_every_tenant_but_write_no_turn()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var first = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);
        var second = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);

        await using var connection = await SharedDatabase.Maintenance.OpenConnectionAsync();
        var seen = await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM sessions WHERE session_id IN (@A, @B)", new { A = first.SessionId, B = second.SessionId });
        var insert = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("""
            INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
            VALUES (@TenantId, @SessionId, 2, gen_random_uuid(), 'forged', 'forged', now())
            """, first));
        var rewrite = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "UPDATE turns SET assistant_content = 'forged' WHERE session_id = @SessionId", first));

        Assert.Equal(2, seen);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, insert.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, rewrite.SqlState);
    }
}
