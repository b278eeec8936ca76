using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Migrations;

namespace SkillForge.Testing;

/// <summary>
/// A migrated database of one test class's own, dropped afterwards: for work that spans all tenants (cleanup),
/// which would otherwise touch the sessions of tests running in parallel.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(string name)
    {
        Name = name;
        AppConnectionString = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Database = name }.ConnectionString;
        AdminConnectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdmin) { Database = name }.ConnectionString;
        MaintenanceConnectionString = new NpgsqlConnectionStringBuilder(TestServers.PostgresMaintenance) { Database = name }.ConnectionString;
        App = SessionsHostingExtensions.BuildDataSource(AppConnectionString, "skillforge-tests");
        Admin = SessionsHostingExtensions.BuildDataSource(AdminConnectionString, "skillforge-tests-admin");
        Maintenance = SessionsHostingExtensions.BuildDataSource(MaintenanceConnectionString, "skillforge-tests-maintenance");
        Superuser = SessionsHostingExtensions.BuildDataSource(
            new NpgsqlConnectionStringBuilder(TestServers.PostgresSuperuser) { Database = name }.ConnectionString, "skillforge-tests-superuser");
    }

    public string Name { get; }

    public string AppConnectionString { get; }

    public string AdminConnectionString { get; }

    public string MaintenanceConnectionString { get; }

    public NpgsqlDataSource App { get; }

    /// <summary>The table owner: migrations only.</summary>
    public NpgsqlDataSource Admin { get; }

    public NpgsqlDataSource Maintenance { get; }

    /// <summary>Sees every tenant's rows: for seeding and inspecting, never for the code under test.</summary>
    public NpgsqlDataSource Superuser { get; }

    public static async Task<ScratchDatabase> CreateAsync()
    {
        var name = $"sf_scratch_{Guid.NewGuid():N}";
        await using (var connection = await SharedDatabase.Admin.OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        }
        var database = new ScratchDatabase(name);
        await new SchemaMigrator(new MigrationDatabase(database.Admin), NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>Connection strings pointing a host at this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsConfiguration() =>
    [
        new("ConnectionStrings:Postgres", AppConnectionString),
        new("ConnectionStrings:PostgresMaintenance", MaintenanceConnectionString),
        new("ConnectionStrings:PostgresAdmin", AdminConnectionString),
    ];

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Admin.DisposeAsync();
        await Maintenance.DisposeAsync();
        await Superuser.DisposeAsync();
        // The owner may not terminate the runtime role's backends (WITH FORCE needs that): wait for them to close.
        await using var connection = await SharedDatabase.Admin.OpenConnectionAsync();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
            {
                await Task.Delay(500);
            }
        }
    }
}
