using Dapper;
using Npgsql;
using SkillForge.Sessions.Hosting;

namespace SkillForge.Bench;

/// <summary>A scratch database for one benchmark run, created and migrated here and dropped at the end.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private static readonly string AdminConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__PostgresAdmin")
        ?? "Host=127.0.0.1;Port=5432;Username=skillforge;Password=skillforge;Database=skillforge";

    private static readonly string AppConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Port=5432;Username=skillforge_app;Password=skillforge_app;Database=skillforge";

    private static readonly string MaintenanceConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__PostgresMaintenance")
        ?? "Host=127.0.0.1;Port=5432;Username=skillforge_maintenance;Password=skillforge_maintenance;Database=skillforge";

    /// <summary>
    /// For CHECKPOINT (superuser or pg_checkpoint) and for seeding rows of any tenant (row-level security binds every
    /// SkillForge role); ops/dev.sh's superuser by default.
    /// </summary>
    private static readonly string SuperuserConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__PostgresSuperuser")
        ?? "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=postgres";

    private readonly string _name;

    private BenchDatabase(string name)
    {
        _name = name;
        AdminConnection = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
        AppConnection = new NpgsqlConnectionStringBuilder(AppConnectionString) { Database = name }.ConnectionString;
        MaintenanceConnection = new NpgsqlConnectionStringBuilder(MaintenanceConnectionString) { Database = name }.ConnectionString;
        Admin = SessionsHostingExtensions.BuildDataSource(AdminConnection, "skillforge-bench-admin");
        App = SessionsHostingExtensions.BuildDataSource(AppConnection, "skillforge-bench");
        Maintenance = SessionsHostingExtensions.BuildDataSource(MaintenanceConnection, "skillforge-bench-maintenance");
        Seeder = SessionsHostingExtensions.BuildDataSource(
            new NpgsqlConnectionStringBuilder(SuperuserConnectionString) { Database = name }.ConnectionString, "skillforge-bench-seeder");
    }

    /// <summary>The table owner: migrations, and the server-wide probes (WAL position, autovacuum, a busy core).</summary>
    public NpgsqlDataSource Admin { get; }

    public NpgsqlDataSource Maintenance { get; }

    /// <summary>Writes seed rows of any tenant directly.</summary>
    public NpgsqlDataSource Seeder { get; }

    public NpgsqlDataSource App { get; }

    /// <summary>The owner's connection string to this database, for a worker process pointed at it.</summary>
    public string AdminConnection { get; }

    /// <summary>The runtime role's connection string to this database.</summary>
    public string AppConnection { get; }

    public string MaintenanceConnection { get; }

    public static async Task<BenchDatabase> CreateAsync()
    {
        var name = $"sf_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        }
        var database = new BenchDatabase(name);
        await new SkillForge.Sessions.Migrations.SchemaMigrator(new MigrationDatabase(database.Admin),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SkillForge.Sessions.Migrations.SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>Writes every dirty page out now, so that no checkpoint lands in the middle of a measurement.</summary>
    public static async Task CheckpointAsync()
    {
        await using var connection = new NpgsqlConnection(SuperuserConnectionString);
        await connection.OpenAsync();
        // Not through Dapper: it takes one word without a space for the name of a stored procedure.
        await using var command = new NpgsqlCommand("CHECKPOINT", connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Admin.DisposeAsync();
        await App.DisposeAsync();
        await Maintenance.DisposeAsync();
        await Seeder.DisposeAsync();
        // The owner may not terminate the runtime role's backends (WITH FORCE needs that): wait for them to go.
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 120)
            {
                await Task.Delay(500);
            }
        }
    }
}
