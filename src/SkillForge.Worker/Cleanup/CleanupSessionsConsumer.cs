using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Retention;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Cleanup;

/// <summary>
/// Runs the retention policy, evicts what it closed or purged from Redis, and publishes the counts. Only the operator
/// and the worker's own schedule may ask, and a real run may not be dated in the future: one far ahead would abandon
/// every active session and purge every tenant's history at once.
/// </summary>
public sealed class CleanupSessionsConsumer(CleanupRun cleanup, SessionCache cache, SenderCheck senders, IOptions<SecurityOptions> security,
    SendDeadline sends, TimeProvider clock, SkillForgeMetrics metrics, ILogger<CleanupSessionsConsumer> logger)
    : IConsumer<CleanupSessions>
{
    public const string AsOfInFuture = "as_of_in_future";

    public async Task Consume(ConsumeContext<CleanupSessions> context)
    {
        if (!await senders.AllowAsync(context, TrustedParties.Operator | TrustedParties.Worker))
        {
            return;
        }
        var now = clock.GetUtcNow();
        var asOf = context.Message.AsOf ?? now;
        if (!context.Message.DryRun && asOf > now + security.Value.ClockSkew)
        {
            var reason = $"A real cleanup may not be dated later than now ({now:o}); {asOf:o} is in the future. A dry run may look ahead.";
            await senders.RefuseAsync(context, AsOfInFuture, $"as of {asOf:o}");
            await sends.WithinAsync(context.Publish(new CleanupRefused(asOf, DryRun: false, AsOfInFuture, reason)), "the cleanup refusal");
            return;
        }
        var report = await cleanup.RunAsync(asOf, context.Message.DryRun, keys => EvictAsync(keys), context.CancellationToken);
        WorkerLog.CleanupFinished(logger, report.AsOf, report.DryRun, report.MarkedAbandoned, report.DeletedSessions, report.DeletedMessages,
            report.DeletedAuditLines, report.KeptByHold, report.Duration.TotalMilliseconds);
        if (!report.DryRun)
        {
            metrics.Cleanup(report.MarkedAbandoned, report.DeletedSessions, report.DeletedAuditLines, report.Duration);
        }
        await sends.WithinAsync(context.Publish(new SessionsCleanedUp(report.AsOf, report.DryRun, report.MarkedAbandoned, report.DeletedSessions,
            report.DeletedMessages, report.Duration)
        { KeptByHold = report.KeptByHold }), "the cleanup report");
    }

    // Best effort: the closed sessions' entries are past their sliding TTL in all but freak cases, and a turn
    // served from a stale entry is still refused by the version/status check in PostgreSQL.
    private Task EvictAsync(IReadOnlyList<SessionKey> keys) => cache.RemoveManyAsync(keys);
}
