using Npgsql;

namespace SkillForge.Sessions.Hosting;

/// <summary>
/// The worker's runtime connection (role <c>skillforge_app</c>): subject to row-level security, so every
/// transaction names its tenant. Wraps one pooled <see cref="NpgsqlDataSource"/> for the process.
/// </summary>
public sealed class SessionDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Closes the pooled connections when the host is disposed, so none outlive it on the server.</summary>
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
