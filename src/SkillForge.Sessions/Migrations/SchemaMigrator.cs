using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Migrations;

/// <summary>
/// Applies the numbered <c>Migrations/NNNN_name.sql</c> files embedded in this assembly, in order, each in its own
/// transaction, recorded in <c>schema_history</c>. A session-level advisory lock makes concurrent starts (several
/// workers, the CLI) wait for each other instead of racing. An applied migration whose text changed fails loudly.
/// </summary>
public sealed class SchemaMigrator(MigrationDatabase database, ILogger<SchemaMigrator> logger)
{
    // Any constant works; it only has to be the same for every process migrating this database.
    private const long MigrationLockKey = 0x5346_4D49_4752; // "SFMIGR"

    public static IReadOnlyList<Migration> EmbeddedMigrations { get; } = LoadEmbeddedMigrations();

    /// <summary>Brings the schema up to date; returns the versions applied by this call.</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies the migrations up to and including <paramref name="upToVersion"/> (tests of a data migration start below it).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(int upToVersion, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(MigrationSql.CreateHistory, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<(int Version, string Checksum)>(new CommandDefinition(
                MigrationSql.SelectApplied, cancellationToken: cancellationToken))).ToDictionary(r => r.Version, r => r.Checksum);

            var newlyApplied = new List<int>();
            foreach (var migration in EmbeddedMigrations.Where(m => m.Version <= upToVersion))
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (checksum != migration.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Version} ({migration.Name}) was changed after it was applied. " +
                            "Applied migrations are immutable: add a new numbered migration instead.");
                    }
                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(MigrationSql.InsertApplied,
                    new { migration.Version, migration.Name, migration.Checksum }, transaction, cancellationToken: cancellationToken));
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version} {Name}", migration.Version, migration.Name);
                newlyApplied.Add(migration.Version);
            }
            logger.LogInformation("Schema at migration {Version}; {Count} applied now",
                EmbeddedMigrations.LastOrDefault(m => m.Version <= upToVersion)?.Version ?? 0, newlyApplied.Count);
            return newlyApplied;
        }
        finally
        {
            // The lock is also released if the connection dies; unlocking explicitly returns it to the pool clean.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>
    /// Each embedded migration and where it stands in this database: applied (when), pending, or changed since it was
    /// applied (its checksum differs; the worker would refuse to start). Reads only: takes no lock, creates nothing.
    /// </summary>
    public async Task<IReadOnlyList<MigrationState>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var applied = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(MigrationSql.HistoryExists, cancellationToken: cancellationToken))
            ? (await connection.QueryAsync<(int Version, string Checksum, DateTime AppliedAt)>(new CommandDefinition(
                MigrationSql.SelectHistory, cancellationToken: cancellationToken))).ToDictionary(r => r.Version)
            : [];
        return EmbeddedMigrations.Select(m => applied.TryGetValue(m.Version, out var row)
            ? new MigrationState(m.Version, m.Name, row.Checksum == m.Checksum ? "applied" : "changed",
                SessionRow.AsUtc(row.AppliedAt))
            : new MigrationState(m.Version, m.Name, "pending", null)).ToList();
    }

    private static List<Migration> LoadEmbeddedMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "SkillForge.Sessions.Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(fileName.AsSpan(0, separator), out var version))
            {
                throw new InvalidOperationException($"Embedded migration '{resource}' must be named NNNN_description.sql.");
            }
            var sql = ReadResource(assembly, resource);
            var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
            migrations.Add(new Migration(version, fileName[(separator + 1)..], sql, checksum));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two embedded migrations share version {migrations[i].Version}.");
            }
        }
        return migrations;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
