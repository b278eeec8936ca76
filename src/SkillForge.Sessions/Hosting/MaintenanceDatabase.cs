using Npgsql;

namespace SkillForge.Sessions.Hosting;

/// <summary>
/// The maintenance role's connection (<c>skillforge_maintenance</c>): cleanup, the cleanup schedule and the status
/// gauge, which work across all tenants. It may read and purge rows but owns nothing, so it cannot change the schema.
/// Never used on the chat-turn path.
/// </summary>
public sealed class MaintenanceDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Closes the pooled connections when the host is disposed, so none outlive it on the server.</summary>
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
