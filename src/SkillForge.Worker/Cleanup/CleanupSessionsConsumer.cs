using MassTransit;
using SkillForge.Contracts;
using SkillForge.Sessions;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Retention;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Cleanup;

/// <summary>Runs the retention policy, evicts what it closed or purged from Redis, and publishes the counts.</summary>
public sealed class CleanupSessionsConsumer(CleanupRun cleanup, SessionCache cache, SendDeadline sends, TimeProvider clock, SkillForgeMetrics metrics,
    ILogger<CleanupSessionsConsumer> logger)
    : IConsumer<CleanupSessions>
{
    public async Task Consume(ConsumeContext<CleanupSessions> context)
    {
        var asOf = context.Message.AsOf ?? clock.GetUtcNow();
        var report = await cleanup.RunAsync(asOf, context.Message.DryRun, keys => EvictAsync(keys), context.CancellationToken);
        WorkerLog.CleanupFinished(logger, report.AsOf, report.DryRun, report.MarkedAbandoned, report.DeletedSessions, report.DeletedMessages,
            report.DeletedAuditLines, report.Duration.TotalMilliseconds);
        if (!report.DryRun)
        {
            metrics.Cleanup(report.MarkedAbandoned, report.DeletedSessions, report.DeletedAuditLines, report.Duration);
        }
        await sends.WithinAsync(context.Publish(new SessionsCleanedUp(report.AsOf, report.DryRun, report.MarkedAbandoned, report.DeletedSessions,
            report.DeletedMessages, report.Duration)), "the cleanup report");
    }

    // Best effort: the closed sessions' entries are past their sliding TTL in all but freak cases, and a turn
    // served from a stale entry is still refused by the version/status check in PostgreSQL.
    private Task EvictAsync(IReadOnlyList<SessionKey> keys) => cache.RemoveManyAsync(keys);
}
