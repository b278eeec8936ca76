using Npgsql;

namespace SkillForge.Sessions;

/// <summary>
/// The table owner's connection (role <c>skillforge</c>): runs migrations and cleanup across all tenants.
/// Never used on the chat-turn path.
/// </summary>
public sealed class MaintenanceDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Closes the pooled connections when the host is disposed, so none outlive it on the server.</summary>
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
