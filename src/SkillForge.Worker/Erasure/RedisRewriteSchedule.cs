using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace SkillForge.Worker.Erasure;

/// <summary>
/// Erased text stays in Redis's append-only file, as the commands that wrote it, until Redis rewrites that file from
/// what it holds now. After an erasure (<see cref="Erased"/>) this asks every primary for a rewrite
/// (<c>BGREWRITEAOF</c>) at the next interval; a request that fails, or finds a rewrite already running (it may have
/// begun before the erasure), is asked again at the one after.
/// </summary>
public sealed class RedisRewriteSchedule(
    IConnectionMultiplexer redis,
    IOptions<RedisRewriteOptions> options,
    TimeProvider clock,
    ILogger<RedisRewriteSchedule> logger) : BackgroundService
{
    private int _erasedSinceRewrite;

    /// <summary>Called after an erasure committed: the next interval asks for a rewrite.</summary>
    public void Erased() => Interlocked.Exchange(ref _erasedSinceRewrite, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.AofRewriteInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (Interlocked.Exchange(ref _erasedSinceRewrite, 0) == 1 && !await RewriteAsync())
            {
                Erased();
            }
        }
    }

    /// <returns>Whether every primary began a rewrite.</returns>
    private async Task<bool> RewriteAsync()
    {
        var all = true;
        foreach (var server in redis.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            try
            {
                await server.ExecuteAsync("BGREWRITEAOF");
                WorkerLog.AofRewriteRequested(logger, server.EndPoint.ToString() ?? "");
            }
            catch (Exception e) when (e is RedisException or RedisTimeoutException)
            {
                // "already in progress" included: that rewrite may hold the erased text; ask again next time.
                WorkerLog.AofRewriteFailed(logger, server.EndPoint.ToString() ?? "", e.Message);
                all = false;
            }
        }
        return all;
    }
}
