using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Migrations;

namespace SkillForge.Harness;

/// <summary>
/// A migrated database of its own, dropped afterwards: for a test class whose work spans all tenants (cleanup), which
/// would otherwise touch the sessions of tests running in parallel, and for a benchmark run.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly DatabaseServer _server;

    private ScratchDatabase(DatabaseServer server, string name)
    {
        _server = server;
        Name = name;
        AppConnectionString = In(server.App, name);
        AdminConnectionString = In(server.Admin, name);
        MaintenanceConnectionString = In(server.Maintenance, name);
        App = SessionsHostingExtensions.BuildDataSource(AppConnectionString, "skillforge-scratch");
        Admin = SessionsHostingExtensions.BuildDataSource(AdminConnectionString, "skillforge-scratch-admin");
        Maintenance = SessionsHostingExtensions.BuildDataSource(MaintenanceConnectionString, "skillforge-scratch-maintenance");
        Superuser = SessionsHostingExtensions.BuildDataSource(In(server.Superuser, name), "skillforge-scratch-superuser");
    }

    public string Name { get; }

    public string AppConnectionString { get; }

    public string AdminConnectionString { get; }

    public string MaintenanceConnectionString { get; }

    public NpgsqlDataSource App { get; }

    /// <summary>The table owner: migrations, and the server-wide probes.</summary>
    public NpgsqlDataSource Admin { get; }

    public NpgsqlDataSource Maintenance { get; }

    /// <summary>Sees every tenant's rows (row-level security binds every SkillForge role): for seeding and inspecting only.</summary>
    public NpgsqlDataSource Superuser { get; }

    public static async Task<ScratchDatabase> CreateAsync(DatabaseServer server, string prefix = "sf_scratch")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)];
        await using (var connection = new NpgsqlConnection(server.Admin))
        {
            await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        }
        var database = new ScratchDatabase(server, name);
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

    /// <summary>The same, as command-line arguments for a <see cref="WorkerProcess"/>.</summary>
    public string[] AsArguments() => [.. AsConfiguration().Select(p => $"--{p.Key}={p.Value}")];

    /// <summary>Writes every dirty page out now, so that no checkpoint lands in the middle of a measurement.</summary>
    public async Task CheckpointAsync()
    {
        await using var connection = new NpgsqlConnection(_server.Superuser);
        await connection.OpenAsync();
        // Not through Dapper: it takes one word without a space for the name of a stored procedure.
        await using var command = new NpgsqlCommand("CHECKPOINT", connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Admin.DisposeAsync();
        await Maintenance.DisposeAsync();
        await Superuser.DisposeAsync();
        // The owner may not terminate the runtime role's backends (WITH FORCE needs that): wait for them to close.
        await using var connection = new NpgsqlConnection(_server.Admin);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 120)
            {
                await Task.Delay(500);
            }
        }
    }

    private static string In(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;
}
