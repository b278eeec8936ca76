using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkillForge.Broker;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Retention;

namespace SkillForge.Bench;

/// <summary>The purge: the real <see cref="CleanupRun"/> in this process, or the worker's own cleanup consumer.</summary>
internal static partial class CleanupBenchmark
{
    private sealed record PurgeOutcome(int Sessions, long Messages, string Breakdown);

    /// <summary>The real <see cref="CleanupRun"/> in this process, evicting each batch from Redis as the cleanup consumer does.</summary>
    private static async Task<PurgeOutcome> PurgeInProcessAsync(CleanupRun run, SessionCache cache, RetentionPolicy policy)
    {
        var started = Stopwatch.GetTimestamp();
        var evicting = TimeSpan.Zero;
        var batches = 0;
        var report = await run.RunAsync(DateTimeOffset.UtcNow, dryRun: false, async keys =>
        {
            var evictionStarted = Stopwatch.GetTimestamp();
            await cache.RemoveManyAsync(keys);
            evicting += Stopwatch.GetElapsedTime(evictionStarted);
            batches++;
        }, CancellationToken.None);
        var pauses = policy.PauseBetweenBatches * batches;
        var postgres = Stopwatch.GetElapsedTime(started) - evicting - pauses;
        return new PurgeOutcome(report.DeletedSessions, report.DeletedMessages,
            $"{batches} batches: PostgreSQL {postgres.TotalSeconds:F2} s, Redis eviction {evicting.TotalSeconds:F2} s, pauses {pauses.TotalSeconds:F2} s");
    }

    /// <summary>
    /// The worker's own cleanup: <c>CleanupSessions</c> sent to its queue, its <c>SessionsCleanedUp</c> heard on a
    /// temporary queue set up once, before any round, so that no round's purge phase includes setting it up.
    /// </summary>
    private sealed class WorkerCleanup
    {
        private readonly IBus _bus;
        private (DateTimeOffset AsOf, TaskCompletionSource<SessionsCleanedUp> Report)? _pending;

        private WorkerCleanup(IBus bus) => _bus = bus;

        public static async Task<WorkerCleanup> ListenAsync(IHost host)
        {
            var cleanup = new WorkerCleanup(host.Services.GetRequiredService<IBus>());
            var user = Environment.GetEnvironmentVariable("RabbitMq__Username") is { Length: > 0 } name ? name : "skillforge-worker";
            var handle = cleanup._bus.ConnectPrivateEndpoint(user, "cleanup-report", endpoint =>
                endpoint.Handler<SessionsCleanedUp>(context =>
                {
                    // Its own run's report only, as the CLI does: another cleanup's report says nothing of this one.
                    if (cleanup._pending is { } pending && context.Message.AsOf == pending.AsOf && !context.Message.DryRun)
                    {
                        pending.Report.TrySetResult(context.Message);
                    }
                    return Task.CompletedTask;
                }));
            await handle.Ready;
            return cleanup;
        }

        public async Task<PurgeOutcome> PurgeAsync()
        {
            var asOf = DateTimeOffset.UtcNow;
            var report = new TaskCompletionSource<SessionsCleanedUp>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending = (asOf, report);
            var endpoint = await _bus.GetSendEndpoint(SkillForgeQueues.Address(SkillForgeQueues.Cleanup));
            await endpoint.Send(new CleanupSessions(asOf, DryRun: false));
            var cleanedUp = await report.Task.WaitAsync(TimeSpan.FromMinutes(10));
            return new PurgeOutcome(cleanedUp.DeletedSessions, cleanedUp.DeletedMessages,
                $"the worker's cleanup consumer: {cleanedUp.Duration.TotalSeconds:F2} s by its own clock");
        }
    }
}
