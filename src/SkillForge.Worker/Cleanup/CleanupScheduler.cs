using MassTransit;
using Microsoft.Extensions.Options;
using Quartz;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Retention;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Cleanup;

/// <summary>
/// Sends <see cref="CleanupSessions"/> on the cron schedule. Every instance runs this; each tick is claimed in
/// PostgreSQL by one of them (<see cref="CleanupTicks"/>), so a tick produces one run. A send that fails (the
/// broker away) is tried again every 5 s under the same claim until it lands; only then is the tick marked sent.
/// On start-up the latest tick that has passed is claimed too, so a tick missed while every instance was down, or
/// left unsent by an instance that died, runs once.
/// Quartz supplies the cron arithmetic; its clustered job store would add a dozen tables for what one row does here.
/// </summary>
public sealed class CleanupScheduler(
    CleanupTicks ticks,
    IBus bus,
    SendDeadline sends,
    IOptions<CleanupScheduleOptions> options,
    TimeProvider clock,
    ILogger<CleanupScheduler> logger) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        var cron = new CronExpression(options.Value.Cron, TimeZoneInfo.Utc);

        // The latest tick at or before now: claimed (and so run) only if no instance ran it yet.
        var missed = LatestTickAtOrBefore(cron, clock.GetUtcNow());
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (missed is { } tick)
                {
                    await ClaimAndSendAsync(tick, stoppingToken);
                    missed = null;
                }
                var next = cron.GetNextValidTimeAfter(clock.GetUtcNow());
                if (next is null)
                {
                    return;
                }
                var delay = next.Value - clock.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                missed = next;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database or broker is away: try the same tick again shortly rather than lose it.
                WorkerLog.CleanupScheduleFailed(logger, e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ClaimAndSendAsync(DateTimeOffset tick, CancellationToken cancellationToken)
    {
        if (!await ticks.TryClaimAsync(tick, _instance, cancellationToken))
        {
            WorkerLog.CleanupTickLeft(logger, tick);
            return;
        }
        var endpoint = await bus.GetSendEndpoint(SkillForgeQueues.Address(SkillForgeQueues.Cleanup));
        await sends.WithinAsync(endpoint.Send(new CleanupSessions(tick, DryRun: false), cancellationToken), $"the cleanup of tick {tick:o}");
        await ticks.MarkSentAsync(tick, _instance, cancellationToken);
        WorkerLog.CleanupScheduled(logger, tick);
    }

    /// <summary>The latest tick at or before <paramref name="now"/>: the one a start-up catches up on if nobody ran it.</summary>
    internal static DateTimeOffset? LatestTickAtOrBefore(CronExpression cron, DateTimeOffset now) =>
        cron.GetPreviousValidTimeBefore(now);
}
