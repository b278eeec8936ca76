using Npgsql;

namespace SkillForge.Sessions.Hosting;

/// <summary>
/// The table owner's connection (<c>skillforge</c>), used only to apply migrations: by <c>skillforge migrate</c>, or by
/// the worker at start-up when <c>Worker:MigrateOnStart</c> is on. No other work runs as the owner.
/// </summary>
public sealed class MigrationDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
