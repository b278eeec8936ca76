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
    /// <param name="Pace">How the pace moved (<see cref="PaceSummary"/>); empty when the worker purged.</param>
    private sealed record PurgeOutcome(int Sessions, long Messages, string Breakdown, string Pace = "");

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
        var pauses = report.Pace.Aggregate(TimeSpan.Zero, (sum, step) => sum + step.Pause);
        // Each probe figure is the median of three commits; a step has one after its batch and, when it rested, one after the rest.
        var probes = report.Pace.Aggregate(TimeSpan.Zero, (sum, step) => sum + step.Probe + (step.AfterRest ?? TimeSpan.Zero)) * 3;
        var postgres = Stopwatch.GetElapsedTime(started) - evicting - pauses;
        return new PurgeOutcome(report.DeletedSessions, report.DeletedMessages,
            $"{batches} batches: PostgreSQL {postgres.TotalSeconds:F2} s (probes ~{probes.TotalSeconds:F2} s of it), Redis eviction {evicting.TotalSeconds:F2} s, " +
            $"rests {pauses.TotalSeconds:F2} s ({policy.Pacing})", PaceSummary(report));
    }

    /// <summary>The pace of one run in a line: the probe's baseline and range, the back-offs, the rests.</summary>
    private static string PaceSummary(CleanupReport report)
    {
        var steps = report.Pace;
        if (steps.Count == 0)
        {
            return "no batch";
        }
        var rests = steps.Select(step => step.Pause.TotalMilliseconds).ToList();
        var resting = steps.Count(step => step.Pause > TimeSpan.Zero);
        if ((report.PaceBaseline, report.PaceTarget) is not ({ } baseline, { } target))
        {
            return $"fixed: {steps.Count} batches, {rests[0]:F0} ms after each";
        }
        var probes = steps.Select(step => step.Probe.TotalMilliseconds).Order().ToList();
        var slow = steps.Count(step => step.Probe > target);
        var uncured = steps.Count(step => step.AfterRest > target);
        // The rest after each tenth of the run: the shape of the pace at a glance.
        var shape = string.Join(" ", Enumerable.Range(0, 10).Select(i => rests[Math.Min(steps.Count - 1, i * steps.Count / 10)].ToString("F0")));
        return $"baseline {baseline.TotalMilliseconds:F2} ms, target {target.TotalMilliseconds:F2} ms; probes p50 {probes[probes.Count / 2]:F2} / max {probes[^1]:F2} ms; " +
               $"{steps.Count} batches, {slow} slow probes, {uncured} rests that did not bring commits back, {resting} rests ({rests.Sum() / 1000:F2} s, longest {rests.Max():F0} ms); rest by tenth of the run (ms): {shape}";
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
