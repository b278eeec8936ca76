using MassTransit;
using Npgsql;
using SkillForge.Worker.ChatTurns;
using SkillForge.Worker.Resilience;
using StackExchange.Redis;

namespace SkillForge.Worker.Hosting;

/// <summary>
/// In-memory retries for faults that pass: dead pooled connections after a database restart or failover, timeouts,
/// a lost version race. Intervals span ~10 s (no delayed-redelivery plugin here); what still fails lands
/// in the endpoint's <c>_error</c> queue with its exception. Anything else (bugs) fails at once.
/// </summary>
internal static class TransientFaults
{
    public static void Configure(IRetryConfigurator retry)
    {
        retry.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5));
        retry.Handle<NpgsqlException>(StoreOutage.IsUnavailable);
        retry.Handle<TimeoutException>();
        retry.Handle<RedisException>();
        retry.Handle<InvalidOperationException>(SkillForge.Sessions.Caching.RedisFaults.IsFault);
        retry.Handle<ConcurrencyConflictException>();
    }
}
