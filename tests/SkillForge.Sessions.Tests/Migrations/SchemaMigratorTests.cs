using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Migrations;
using SkillForge.Testing;

namespace SkillForge.Sessions.Tests.Migrations;

/// <summary>Each test migrates a database of its own, created empty and dropped afterwards.</summary>
public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private readonly string _database = $"sf_migrations_{Guid.NewGuid():N}";
    private NpgsqlDataSource? _dataSource;

    public async Task InitializeAsync()
    {
        await using var admin = await SharedDatabase.Admin.OpenConnectionAsync();
        await admin.ExecuteAsync($"CREATE DATABASE \"{_database}\"");
        var csb = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin) { Database = _database, Pooling = false };
        _dataSource = NpgsqlDataSource.Create(csb.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        _dataSource?.Dispose();
        await using var admin = await SharedDatabase.Admin.OpenConnectionAsync();
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
    }

    [Fact]
    public async Task Should_apply_every_migration_to_an_empty_database_then_nothing_on_a_rerun()
    {
        var first = await Migrator().MigrateAsync(CancellationToken.None);
        var second = await Migrator().MigrateAsync(CancellationToken.None);

        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Select(m => m.Version), first);
        Assert.Empty(second);
        await using var connection = await _dataSource!.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).ToList();
        Assert.Equal(["cleanup_pace_probe", "cleanup_ticks", "legal_holds", "refused_messages", "schema_history", "session_audit", "sessions", "tenant_retention", "turns"], tables);
        var rls = await connection.QueryAsync<string>(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity ORDER BY relname");
        Assert.Equal(["legal_holds", "session_audit", "sessions", "tenant_retention", "turns"], rls);
        var views = await connection.QueryAsync<string>("SELECT viewname FROM pg_views WHERE schemaname = 'public'");
        Assert.Equal(["messages"], views);
    }

    [Fact]
    public async Task Should_let_concurrent_migrators_apply_each_migration_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Migrator().MigrateAsync(CancellationToken.None)));

        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Count, results.Sum(r => r.Count));
        await using var connection = await _dataSource!.OpenConnectionAsync();
        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Count, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_history"));
    }

    [Fact]
    public async Task Should_refuse_to_run_when_an_applied_migration_was_changed()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        await using (var connection = await _dataSource!.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE schema_history SET checksum = 'edited' WHERE version = 1");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(CancellationToken.None));

        Assert.Contains("changed after it was applied", error.Message);
    }

    [Fact]
    public async Task Should_list_each_migration_as_pending_applied_or_changed_and_change_nothing()
    {
        var before = await Migrator().ListAsync(CancellationToken.None);
        await Migrator().MigrateAsync(upToVersion: 11, CancellationToken.None);
        await using (var connection = await _dataSource!.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE schema_history SET checksum = 'edited' WHERE version = 3");
        }

        var after = await Migrator().ListAsync(CancellationToken.None);

        Assert.All(before, m => Assert.Equal(("pending", (DateTimeOffset?)null), (m.State, m.AppliedAt)));
        Assert.Equal(SchemaMigrator.EmbeddedMigrations.Select(m => m.Version), after.Select(m => m.Version));
        Assert.Equal("changed", after.Single(m => m.Version == 3).State);
        Assert.All(after.Where(m => m.Version is <= 11 and not 3), m => Assert.Equal("applied", m.State));
        Assert.All(after.Where(m => m.Version > 11), m => Assert.Equal("pending", m.State));
        Assert.NotNull(after[0].AppliedAt);
        await using (var connection = await _dataSource!.OpenConnectionAsync())
        {
            Assert.Equal(11, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_history")); // listing applied nothing
        }
    }

    [Fact]
    public async Task Should_delete_a_sessions_turns_with_its_row_and_still_refuse_a_turn_without_one()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        await using var connection = await _dataSource!.OpenConnectionAsync();
        // Row-level security binds the owner too (migration 0010): this connection works as tenant t.
        await connection.ExecuteAsync("SELECT set_config('skillforge.tenant_id', 't', false)");
        await connection.ExecuteAsync("""
            INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at, last_activity_at)
            VALUES ('t', 's', 'idle', 'active', '{}', 1, 2, now(), now(), now());
            INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
            VALUES ('t', 's', 1, gen_random_uuid(), 'hi', 'hello', now());
            """);

        // Migrations 0004/0005: the purge deletes session rows only; their turns go in the same statement.
        await connection.ExecuteAsync("DELETE FROM sessions WHERE tenant_id = 't' AND session_id = 's'");
        var orphan = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("""
            INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
            VALUES ('t', 'gone', 1, gen_random_uuid(), 'hi', 'hello', now())
            """));

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM turns"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, orphan.SqlState);
    }

    [Fact]
    public async Task Should_keep_the_audit_lines_of_a_session_written_before_purges_were_audited_a_batch_at_a_time()
    {
        await Migrator().MigrateAsync(5, CancellationToken.None);
        await using var connection = await _dataSource!.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO session_audit (tenant_id, session_id, event, count, occurred_at)
            VALUES ('t', 's', 'purged', 4, now()), ('t', 'e', 'erased', 2, now());
            """);

        var applied = await Migrator().MigrateAsync(6, CancellationToken.None);

        Assert.Equal([6], applied);
        var lines = await connection.QueryAsync<(string SessionId, string Event, long Count)>(
            "SELECT session_id, event, count FROM session_audit WHERE session_ids IS NULL ORDER BY session_id");
        Assert.Equal([("e", "erased", 2L), ("s", "purged", 4L)], lines);
    }

    [Fact]
    public async Task Should_use_an_audit_time_index_built_beforehand_without_blocking_writes()
    {
        await Migrator().MigrateAsync(6, CancellationToken.None);
        await using var connection = await _dataSource!.OpenConnectionAsync();
        // What the migration's comment tells an operator with a large audit table to run first (outside a transaction).
        await connection.ExecuteAsync("CREATE INDEX CONCURRENTLY ix_session_audit_occurred_at ON session_audit (occurred_at)");

        var applied = await Migrator().MigrateAsync(7, CancellationToken.None);

        Assert.Equal([7], applied);
        Assert.Equal(["CREATE INDEX ix_session_audit_occurred_at ON public.session_audit USING btree (occurred_at)"],
            (await connection.QueryAsync<string>("SELECT indexdef FROM pg_indexes WHERE tablename = 'session_audit' AND indexdef LIKE '%(occurred_at)%'")).ToList());
    }

    [Fact]
    public async Task Should_move_each_pair_of_messages_into_one_turn_and_show_them_again_through_the_messages_view()
    {
        await Migrator().MigrateAsync(4, CancellationToken.None);
        await using var connection = await _dataSource!.OpenConnectionAsync();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var before = DateTime.UtcNow.AddDays(-1);
        await connection.ExecuteAsync("""
            INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at, last_activity_at)
            VALUES ('t', 's', 'idle', 'active', '{}', 2, 4, now(), now(), now()),
                   ('t', 'empty', 'idle', 'active', '{}', 1, 0, now(), now(), now());
            INSERT INTO messages (tenant_id, session_id, seq, role, content, turn_id, created_at)
            VALUES ('t', 's', 1, 'user', 'hi', @first, @before), ('t', 's', 2, 'assistant', 'hello', @first, @before),
                   ('t', 's', 3, 'user', 'a skill?', @second, now()), ('t', 's', 4, 'assistant', 'which one?', @second, now());
            """, new { first, second, before });

        var applied = await Migrator().MigrateAsync(5, CancellationToken.None);

        Assert.Equal([5], applied);
        var turns = (await connection.QueryAsync<(long TurnNo, Guid TurnId, string User, string Assistant, DateTime CreatedAt)>(
            "SELECT turn_no, turn_id, user_content, assistant_content, created_at FROM turns ORDER BY turn_no")).ToList();
        Assert.Equal([(1L, first, "hi", "hello"), (2L, second, "a skill?", "which one?")],
            turns.Select(t => (t.TurnNo, t.TurnId, t.User, t.Assistant)));
        Assert.Equal(before, turns[0].CreatedAt, TimeSpan.FromMilliseconds(1));
        var messages = (await connection.QueryAsync<(long Seq, string Role, string Content, Guid TurnId)>(
            "SELECT seq, role, content, turn_id FROM messages WHERE session_id = 's' ORDER BY seq")).ToList();
        Assert.Equal([(1L, "user", "hi", first), (2L, "assistant", "hello", first), (3L, "user", "a skill?", second), (4L, "assistant", "which one?", second)],
            messages);
    }

    [Fact]
    public async Task Should_refuse_to_migrate_a_message_log_that_does_not_pair_into_turns_and_change_nothing()
    {
        await Migrator().MigrateAsync(4, CancellationToken.None);
        await using var connection = await _dataSource!.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at, last_activity_at)
            VALUES ('t', 's', 'idle', 'active', '{}', 1, 3, now(), now(), now());
            INSERT INTO messages (tenant_id, session_id, seq, role, content, turn_id, created_at)
            VALUES ('t', 's', 1, 'user', 'hi', gen_random_uuid(), now()), ('t', 's', 2, 'assistant', 'hello', gen_random_uuid(), now()),
                   ('t', 's', 3, 'user', 'no reply was ever stored', gen_random_uuid(), now());
            """);

        var error = await Assert.ThrowsAsync<PostgresException>(() => Migrator().MigrateAsync(CancellationToken.None));

        Assert.Contains("do not pair into turns", error.MessageText);
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM messages"));
        Assert.Equal(4, await connection.ExecuteScalarAsync<int>("SELECT max(version) FROM schema_history"));
        Assert.False(await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('turns') IS NOT NULL"));
    }

    [Fact]
    public void Should_embed_numbered_migrations_in_order()
    {
        var versions = SchemaMigrator.EmbeddedMigrations.Select(m => m.Version).ToList();
        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    private SchemaMigrator Migrator() => new(new MigrationDatabase(_dataSource!), NullLogger<SchemaMigrator>.Instance);
}
