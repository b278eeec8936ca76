using System.Diagnostics.Metrics;
using Dapper;
using SkillForge.Sessions.Hosting;

namespace SkillForge.Worker.Observability;

/// <summary>
/// Sessions by status, for the observable gauge. A scrape must not cost a full count each time, so the figures
/// are refreshed in the background at most every 30 seconds and the gauge reports the latest ones.
/// </summary>
public sealed class SessionStatusGauge(MaintenanceDatabase database, ILogger<SessionStatusGauge> logger)
{
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);
    private IReadOnlyList<(string Status, long Count)> _latest = [];
    private long _nextRefreshTicks;
    private int _refreshing;

    public IEnumerable<Measurement<long>> Observe()
    {
        if (Environment.TickCount64 >= Interlocked.Read(ref _nextRefreshTicks) && Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            Interlocked.Exchange(ref _nextRefreshTicks, Environment.TickCount64 + (long)RefreshEvery.TotalMilliseconds);
            _ = RefreshAsync();
        }
        return _latest.Select(s => new Measurement<long>(s.Count, new KeyValuePair<string, object?>("status", s.Status)));
    }

    private async Task RefreshAsync()
    {
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync();
            _latest = (await connection.QueryAsync<(string, long)>("SELECT status, count(*) FROM sessions GROUP BY status")).ToList();
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Could not count sessions by status");
        }
        finally
        {
            Interlocked.Exchange(ref _refreshing, 0);
        }
    }
}
