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
    /// <param name="Messages">Messages purged; -1 when the run was stopped before its end (not counted then).</param>
    /// <param name="Pace">How the pace moved (<see cref="PaceSummary"/>); empty when the worker purged.</param>
    /// <param name="Stopped">The run was stopped at the benchmark's window, before it had purged everything.</param>
    private sealed record PurgeOutcome(int Sessions, long Messages, string Breakdown, string Pace = "", bool Stopped = false);

    /// <summary>
    /// The real <see cref="CleanupRun"/> in this process, evicting each batch from Redis as the cleanup consumer does,
    /// stopped at <paramref name="window"/> if it has not finished by then: at a load where chat leaves the purge no
    /// room, the pace slows it to a few sessions a second, and the figures of its first minutes say as much as its end would.
    /// </summary>
    private static async Task<PurgeOutcome> PurgeInProcessAsync(CleanupRun run, SessionCache cache, RetentionPolicy policy, TimeSpan window)
    {
        var started = Stopwatch.GetTimestamp();
        var evicting = TimeSpan.Zero;
        var batches = 0;
        var evicted = 0;
        PurgePace? pace = null;
        using var stop = new CancellationTokenSource(window);
        CleanupReport? report = null;
        try
        {
            report = await run.RunAsync(DateTimeOffset.UtcNow, dryRun: false, async keys =>
            {
                var evictionStarted = Stopwatch.GetTimestamp();
                await cache.RemoveManyAsync(keys);
                evicting += Stopwatch.GetElapsedTime(evictionStarted);
                batches++;
                evicted += keys.Count;
            }, stop.Token, paced: p => pace = p);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped at the window: no report, so what it purged is what it evicted.
        }
        var stopped = report is null;
        var sessions = report?.DeletedSessions ?? evicted;
        var steps = pace?.Steps ?? [];
        var pauses = steps.Aggregate(TimeSpan.Zero, (sum, step) => sum + step.Pause);
        // Each probe figure is the median of three commits; a step has one after its batch and, when it rested, one after the rest.
        var probes = steps.Aggregate(TimeSpan.Zero, (sum, step) => sum + step.Probe + (step.AfterRest ?? TimeSpan.Zero)) * 3;
        var postgres = Stopwatch.GetElapsedTime(started) - evicting - pauses;
        var paceSignal = pace is null || pace.Signal == PaceSignal.None ? policy.Pacing.ToString() : $"{policy.Pacing}, by {pace.Signal}";
        return new PurgeOutcome(sessions, report?.DeletedMessages ?? -1,
            (stopped ? $"stopped after {window.TotalSeconds:F0} s with {sessions:N0} sessions purged; " : "") +
            $"{batches} batches: PostgreSQL {postgres.TotalSeconds:F2} s (probes ~{probes.TotalSeconds:F2} s of it), Redis eviction {evicting.TotalSeconds:F2} s, " +
            $"rests {pauses.TotalSeconds:F2} s ({paceSignal})", pace is null ? "no batch" : PaceSummary(pace), stopped);
    }

    /// <summary>The pace of one run in a line: what it went by and its range, the back-offs, the rests and batch sizes.</summary>
    private static string PaceSummary(PurgePace pace)
    {
        var steps = pace.Steps;
        if (steps.Count == 0)
        {
            return "no batch";
        }
        var rests = steps.Select(step => step.Pause.TotalMilliseconds).ToList();
        var resting = steps.Count(step => step.Pause > TimeSpan.Zero);
        if (pace.Baseline is not { } baseline)
        {
            return $"fixed: {steps.Count} batches, {rests[0]:F0} ms after each";
        }
        var target = pace.Target;
        // The rest and the batch size after each tenth of the run: the shape of the pace at a glance.
        string Shape(Func<PaceStep, double> value) =>
            string.Join(" ", Enumerable.Range(0, 10).Select(i => value(steps[Math.Min(steps.Count - 1, i * steps.Count / 10)]).ToString("F0")));
        var shape = $"rest by tenth of the run (ms): {Shape(step => step.Pause.TotalMilliseconds)}; batch size: {Shape(step => step.Sessions)}";
        var rested = $"{resting} rests ({rests.Sum() / 1000:F2} s, longest {rests.Max():F0} ms)";
        if (pace.Signal == PaceSignal.ChatTurns)
        {
            var chat = pace.RunChat;
            return $"by chat's turns: their p99 before {baseline.TotalMilliseconds:F2} ms, target {target.TotalMilliseconds:F2} ms; during the run {chat.Turns:N0} turns, " +
                   $"{chat.Slow:N0} slower than the target ({100.0 * chat.Slow / Math.Max(1, chat.Turns):F1}%, budget {100 * PurgePace.SlowBudget:F0}%); " +
                   $"{steps.Count} batches, {steps.Count(step => step.Chat?.Slow > 0)} with a slow turn, {pace.BackOffs} back-offs, " +
                   $"{pace.NotCuredByResting} times resting had not helped; {rested}; {shape}";
        }
        var probes = steps.Select(step => step.Probe.TotalMilliseconds).Order().ToList();
        var slow = steps.Count(step => step.Probe > target);
        var uncured = steps.Count(step => step.AfterRest > target);
        return $"by the commit probe: baseline {baseline.TotalMilliseconds:F2} ms, target {target.TotalMilliseconds:F2} ms; probes p50 {probes[probes.Count / 2]:F2} / max {probes[^1]:F2} ms; " +
               $"{steps.Count} batches, {slow} slow probes, {uncured} rests that did not bring commits back; {rested}; {shape}";
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
