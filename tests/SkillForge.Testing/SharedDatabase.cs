using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Migrations;
using SkillForge.Sessions.Storage;

namespace SkillForge.Testing;

/// <summary>
/// The test database, migrated once per test process, and data sources for each role. A server that is down
/// fails the test with a message saying how to start it: tests never skip.
/// </summary>
public static class SharedDatabase
{
    private static readonly Lazy<Task> Migrated = new(MigrateAsync);

    public static NpgsqlDataSource App { get; } = SessionsHostingExtensions.BuildDataSource(TestServers.Postgres, "skillforge-tests");

    /// <summary>The table owner: migrations, and creating and dropping scratch databases.</summary>
    public static NpgsqlDataSource Admin { get; } = SessionsHostingExtensions.BuildDataSource(TestServers.PostgresAdmin, "skillforge-tests-admin");

    public static NpgsqlDataSource Maintenance { get; } = SessionsHostingExtensions.BuildDataSource(TestServers.PostgresMaintenance, "skillforge-tests-maintenance");

    /// <summary>Sees every tenant's rows: for seeding and inspecting, never for the code under test.</summary>
    public static NpgsqlDataSource Superuser { get; } = SessionsHostingExtensions.BuildDataSource(TestServers.PostgresSuperuser, "skillforge-tests-superuser");

    public static Task EnsureMigratedAsync() => Migrated.Value;

    public static async Task<SessionStore> CreateStoreAsync(SessionStoreOptions? options = null)
    {
        await EnsureMigratedAsync();
        return new SessionStore(new SessionDatabase(App), Options.Create(options ?? new SessionStoreOptions()), NullLogger<SessionStore>.Instance);
    }

    private static async Task MigrateAsync()
    {
        try
        {
            await new SchemaMigrator(new MigrationDatabase(Admin), NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable for the tests ({e.Message}). Start the services with `ops/dev.sh up`, " +
                "or run the tests with `ops/dev.sh test`.", e);
        }
    }
}
