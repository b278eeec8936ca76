using System.Net.Sockets;
using Npgsql;

namespace SkillForge.Worker.Resilience;

/// <summary>
/// Tells a PostgreSQL outage (a restart, a failover, a cut network) from a fault of the statement, and paces the
/// waits while it lasts. Shared by the chat turn, which waits within its client's timeout, and the write-behind
/// applier, which waits for as long as the outage does.
/// </summary>
public sealed class StoreOutage(TimeProvider clock)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    private TimeSpan _pause = FirstPause;

    /// <summary>
    /// True for a fault of reaching PostgreSQL: a dead connection, a refused one, a timeout, and a failover under way.
    /// With several hosts in the connection string, a moment when none of them takes writes (the old primary gone,
    /// the standby not yet promoted) is "no suitable host" (no inner exception, or one per host), and a server that
    /// turned read-only under an open connection answers 25006.
    /// </summary>
    public static bool IsUnavailable(Exception e) =>
        e is NpgsqlException { IsTransient: true } or TimeoutException
        || (e is NpgsqlException && e.InnerException is SocketException or IOException or TimeoutException)
        || e is NpgsqlException { InnerException: null or AggregateException } and not PostgresException
        || e is PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction };

    /// <summary>The next wait: 200 ms, doubling up to 5 s.</summary>
    public TimeSpan NextPause => _pause;

    /// <summary>Waits <see cref="NextPause"/>, then doubles it.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(_pause, clock, cancellationToken);
        _pause = TimeSpan.FromMilliseconds(Math.Min(_pause.TotalMilliseconds * 2, LongestPause.TotalMilliseconds));
    }
}
