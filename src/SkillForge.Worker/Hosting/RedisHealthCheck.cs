using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace SkillForge.Worker.Hosting;

/// <summary>Redis is only a cache: without it turns are slower, not lost, so it reports Degraded (its registration's failure status).</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (SkillForge.Sessions.Caching.RedisFaults.IsFault(e))
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is unreachable; sessions load from PostgreSQL", e);
        }
    }
}
