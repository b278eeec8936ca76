using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SkillForge.Sessions;
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
        Assert.Equal(["cleanup_ticks", "messages", "schema_history", "session_audit", "sessions"], tables);
        var rls = await connection.QueryAsync<string>("SELECT relname FROM pg_class WHERE relrowsecurity ORDER BY relname");
        Assert.Equal(["messages", "session_audit", "sessions"], rls);
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
    public async Task Should_delete_a_sessions_messages_with_its_row_and_still_refuse_a_message_without_one()
    {
        await Migrator().MigrateAsync(CancellationToken.None);
        await using var connection = await _dataSource!.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at, last_activity_at)
            VALUES ('t', 's', 'idle', 'active', '{}', 1, 2, now(), now(), now());
            INSERT INTO messages (tenant_id, session_id, seq, role, content, turn_id, created_at)
            VALUES ('t', 's', 1, 'user', 'hi', gen_random_uuid(), now()), ('t', 's', 2, 'assistant', 'hello', gen_random_uuid(), now());
            """);

        // Migration 0004: the purge deletes session rows only; their messages go in the same statement.
        await connection.ExecuteAsync("DELETE FROM sessions WHERE tenant_id = 't' AND session_id = 's'");
        var orphan = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("""
            INSERT INTO messages (tenant_id, session_id, seq, role, content, turn_id, created_at)
            VALUES ('t', 'gone', 1, 'user', 'hi', gen_random_uuid(), now())
            """));

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM messages"));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, orphan.SqlState);
    }

    [Fact]
    public void Should_embed_numbered_migrations_in_order()
    {
        var versions = SchemaMigrator.EmbeddedMigrations.Select(m => m.Version).ToList();
        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    private SchemaMigrator Migrator() => new(new MaintenanceDatabase(_dataSource!), NullLogger<SchemaMigrator>.Instance);
}
