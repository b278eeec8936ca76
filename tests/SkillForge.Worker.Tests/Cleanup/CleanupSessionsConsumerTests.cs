using System.Diagnostics.Metrics;
using Dapper;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Contracts.Queues;
using SkillForge.Harness;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Retention;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Worker.ChatTurns;
using SkillForge.Worker.Cleanup;
using SkillForge.Worker.Security;
using SkillForge.Worker.Tests.Observability;

namespace SkillForge.Worker.Tests.Cleanup;

/// <summary>The cleanup consumer and the scheduler, on a scratch database (cleanup sees every tenant).</summary>
public sealed class CleanupSessionsConsumerTests : IAsyncLifetime
{
    private ScratchDatabase _db = null!;

    public async Task InitializeAsync() => _db = await ScratchDatabase.CreateAsync(TestServers.Database);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Should_purge_evict_from_redis_and_publish_the_counts()
    {
        // A real run may not be dated in the future, so the worker's clock moves instead; it never runs by itself, so the
        // rests between batches (timed by it) are off: a fixed pause of none.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton<TimeProvider>(clock),
            new Dictionary<string, string?>(_db.AsConfiguration()) { ["Retention:Pacing"] = "Fixed", ["Retention:PauseBetweenBatches"] = "00:00:00" }));
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var store = host.Services.GetRequiredService<SessionStore>();
        var cache = host.Services.GetRequiredService<SessionCache>();
        var handler = host.Services.GetRequiredService<ChatTurnHandler>();
        var tenant = TestIds.Tenant();
        var turn = new ProcessChatTurn(tenant, "old", Guid.NewGuid(), "I want a skill that formats SQL", null, DateTimeOffset.UtcNow);
        await handler.HandleAsync(turn, default);
        var key = new SessionKey(tenant, "old");
        Assert.NotNull(await cache.GetAsync(key));

        // A hundred days on, the idle session is abandoned; a hundred and forty days on, it is purged.
        clock.Advance(TimeSpan.FromDays(100));
        await SendAsync(harness, new CleanupSessions(clock.GetUtcNow(), DryRun: false));
        var abandoned = await NextReportAsync(harness, 1);
        Assert.Null(await cache.GetAsync(key));
        await cache.SetAsync((await store.LoadAsync(key, default))!);
        clock.Advance(TimeSpan.FromDays(40));
        await SendAsync(harness, new CleanupSessions(clock.GetUtcNow(), DryRun: false));
        var purged = await NextReportAsync(harness, 2);

        Assert.Equal((1, 0, false), (abandoned.MarkedAbandoned, abandoned.DeletedSessions, abandoned.DryRun));
        Assert.Equal((0, 1, 2L), (purged.MarkedAbandoned, purged.DeletedSessions, purged.DeletedMessages));
        Assert.Null(await store.LoadAsync(key, default));
        Assert.False(await TestRedis.Shared.GetDatabase().KeyExistsAsync(SessionCache.KeyOf(key)));
    }

    [Fact]
    public async Task Should_delete_audit_lines_past_retention_and_count_them_in_the_summary_line_and_the_metric()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddLogging(b => b.AddProvider(logs)),
            new Dictionary<string, string?>(_db.AsConfiguration()) { ["Retention:DeleteAuditAfter"] = "30.00:00:00" }));
        using var recorded = new Measurements(host.Services.GetRequiredService<IMeterFactory>());
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var asOf = DateTimeOffset.UtcNow;
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO session_audit (tenant_id, session_id, event, from_value, to_value, version, occurred_at)
            VALUES ('t', 'old', 'state_changed', 'idle', 'intent_detection', 2, @old),
                   ('t', 'recent', 'state_changed', 'idle', 'intent_detection', 2, @recent)
            """, new { old = asOf.AddDays(-31).UtcDateTime, recent = asOf.AddDays(-29).UtcDateTime });

        await SendAsync(harness, new CleanupSessions(asOf, DryRun: false));
        await NextReportAsync(harness, 1);

        Assert.Equal(["recent"], (await connection.QueryAsync<string>("SELECT session_id FROM session_audit")).ToList());
        Assert.Contains(logs.Entries, e => e.EventId == 2020 && e.Message.Contains(", 1 audit lines past retention deleted", StringComparison.Ordinal));
        Assert.Equal(1, Assert.Single(recorded, r => r.Instrument == "skillforge.cleanup.audit_lines").Value);
    }

    [Fact]
    public async Task Should_report_a_dry_run_and_change_nothing()
    {
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(settings: new Dictionary<string, string?>(_db.AsConfiguration())));
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var handler = host.Services.GetRequiredService<ChatTurnHandler>();
        var tenant = TestIds.Tenant();
        await handler.HandleAsync(new ProcessChatTurn(tenant, "s", Guid.NewGuid(), "I want a skill that formats SQL", null, DateTimeOffset.UtcNow), default);
        var asOf = DateTimeOffset.UtcNow.AddDays(31);

        await SendAsync(harness, new CleanupSessions(asOf, DryRun: true));
        var report = await NextReportAsync(harness, 1);

        Assert.Equal((true, 1, asOf), (report.DryRun, report.MarkedAbandoned, report.AsOf));
        var session = await host.Services.GetRequiredService<SessionStore>().LoadAsync(new SessionKey(tenant, "s"), default);
        Assert.Equal("active", session!.Status);
    }

    [Fact]
    public async Task Should_send_one_cleanup_per_tick_with_two_schedulers_running()
    {
        var settings = new Dictionary<string, string?>(_db.AsConfiguration()) { ["Cleanup:Cron"] = "* * * * * ?" };
        await using var first = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddHostedService<CleanupScheduler>(), settings));
        await using var second = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddHostedService<CleanupScheduler>(), settings));

        // Wait for three ticks (a second apart) rather than a fixed time: under a loaded test run a host may start late.
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cleanup_ticks") < 3)
        {
            await Task.Delay(200, timeout.Token);
        }
        var harnesses = new[] { first, second }.Select(h => h.Services.GetRequiredService<ITestHarness>()).ToList();
        await first.StopAsync();
        await second.StopAsync();

        var ticks = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM cleanup_ticks");
        var consumed = harnesses
            .SelectMany(h => h.GetConsumerHarness<CleanupSessionsConsumer>().Consumed.Select<CleanupSessions>())
            .Select(m => m.Context.Message.AsOf!.Value)
            .ToList();
        Assert.True(ticks >= 3, $"expected a tick a second, got {ticks}");
        Assert.Equal(consumed.Count, consumed.Distinct().Count());
        Assert.InRange(consumed.Count, ticks - 1, ticks); // the tick claimed at the very end may still be in flight
    }

    [Fact]
    public async Task Should_send_a_tick_whose_claimer_died_before_sending_once_the_lease_is_over()
    {
        var tick = await ClaimedButUnsentTickAsync(claimedAgo: CleanupTicks.Lease + TimeSpan.FromMinutes(1));

        await using var host = await DailySchedulerAsync();
        var sent = await NextScheduledAsync(host);

        Assert.Equal(tick, sent);
        // The tick is marked sent just after the send returns: wait for the mark rather than race it.
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        var sentAt = await Eventually.ReadAsync(
            () => connection.ExecuteScalarAsync<DateTime?>("SELECT sent_at FROM cleanup_ticks WHERE tick = @tick", new { tick = tick.UtcDateTime }),
            at => at is not null, TimeSpan.FromSeconds(10));
        Assert.NotNull(sentAt);
    }

    [Fact]
    public async Task Should_leave_a_tick_to_the_instance_that_claimed_it_within_the_lease()
    {
        var tick = await ClaimedButUnsentTickAsync(claimedAgo: TimeSpan.FromSeconds(10));
        var logs = new CapturingLoggerProvider();

        await using var host = await DailySchedulerAsync(logs);
        // The scheduler says when it has tried the tick and left it: no waiting on the clock for nothing to happen.
        await Eventually.HoldsAsync(() => Task.FromResult(logs.Entries.Any(e => e.EventId == 2023 && e.Message.Contains($"{tick:o}", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(30), "the scheduler leaving the tick");

        Assert.False(host.Services.GetRequiredService<ITestHarness>().Sent.Select<CleanupSessions>().Any());
    }

    [Fact]
    public void Should_find_the_latest_tick_that_has_passed_for_a_missed_run()
    {
        var cron = new Quartz.CronExpression("0 0 3 * * ?", TimeZoneInfo.Utc);

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero),
            CleanupScheduler.LatestTickAtOrBefore(cron, new DateTimeOffset(2026, 11, 24, 9, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero),
            CleanupScheduler.LatestTickAtOrBefore(cron, new DateTimeOffset(2026, 11, 24, 2, 59, 59, TimeSpan.Zero)));
    }

    /// <summary>The daily 03:00 tick that has passed, claimed by an instance that never sent it.</summary>
    private async Task<DateTimeOffset> ClaimedButUnsentTickAsync(TimeSpan claimedAgo)
    {
        var tick = CleanupScheduler.LatestTickAtOrBefore(new Quartz.CronExpression(DailyCron, TimeZoneInfo.Utc), DateTimeOffset.UtcNow)!.Value;
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO cleanup_ticks (tick, claimed_by, claimed_at) VALUES (@tick, 'a-worker-that-died', now() - @claimedAgo)",
            new { tick = tick.UtcDateTime, claimedAgo });
        return tick;
    }

    private const string DailyCron = "0 0 3 * * ?";

    private async Task<AsyncHost> DailySchedulerAsync(CapturingLoggerProvider? logs = null) => new(await WorkerTestHost.StartAsync(s =>
        {
            s.AddHostedService<CleanupScheduler>();
            if (logs is not null)
            {
                s.AddSingleton<ILoggerProvider>(logs);
            }
        },
        new Dictionary<string, string?>(_db.AsConfiguration()) { ["Cleanup:Cron"] = DailyCron }));

    private static async Task<DateTimeOffset> NextScheduledAsync(AsyncHost host)
    {
        var harness = host.Services.GetRequiredService<ITestHarness>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!harness.Sent.Select<CleanupSessions>().Any())
        {
            await Task.Delay(50, timeout.Token);
        }
        return harness.Sent.Select<CleanupSessions>().First().Context.Message.AsOf!.Value;
    }

    [Fact]
    public async Task Should_refuse_a_real_run_dated_in_the_future_report_the_refusal_and_change_nothing()
    {
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(settings: new Dictionary<string, string?>(_db.AsConfiguration())));
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var handler = host.Services.GetRequiredService<ChatTurnHandler>();
        var tenant = TestIds.Tenant();
        await handler.HandleAsync(new ProcessChatTurn(tenant, "s", Guid.NewGuid(), "I want a skill that formats SQL", null, DateTimeOffset.UtcNow), default);
        var asOf = DateTimeOffset.UtcNow.AddDays(100);

        await SendAsync(harness, new CleanupSessions(asOf, DryRun: false));
        var refused = await NextAsync<CleanupRefused>(harness);

        Assert.Equal((asOf, false, CleanupSessionsConsumer.AsOfInFuture), (refused.AsOf, refused.DryRun, refused.Code));
        Assert.Empty(harness.Published.Select<SessionsCleanedUp>());
        var session = await host.Services.GetRequiredService<SessionStore>().LoadAsync(new SessionKey(tenant, "s"), default);
        Assert.Equal("active", session!.Status);
        Assert.Equal(1, await RefusalsAsync("CleanupSessions", CleanupSessionsConsumer.AsOfInFuture));
        Assert.Empty(harness.Consumed.Select<Fault<CleanupSessions>>());
    }

    [Fact]
    public async Task Should_drop_a_cleanup_from_an_untrusted_sender_audited_and_with_nothing_changed()
    {
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(settings: new Dictionary<string, string?>(_db.AsConfiguration())));
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var handler = host.Services.GetRequiredService<ChatTurnHandler>();
        var tenant = TestIds.Tenant();
        await handler.HandleAsync(new ProcessChatTurn(tenant, "s", Guid.NewGuid(), "I want a skill that formats SQL", null, DateTimeOffset.UtcNow), default);

        await SendAsync(harness, new CleanupSessions(DateTimeOffset.UtcNow, DryRun: false), sender: "skillforge-upstream");
        Assert.True(await harness.Consumed.Any<CleanupSessions>());
        await Eventually.HoldsAsync(async () => await RefusalsAsync("CleanupSessions", SenderCheck.UntrustedSender) == 1);

        Assert.Empty(harness.Published.Select<SessionsCleanedUp>());
        Assert.Empty(harness.Published.Select<Fault<CleanupSessions>>());
        var session = await host.Services.GetRequiredService<SessionStore>().LoadAsync(new SessionKey(tenant, "s"), default);
        Assert.Equal("active", session!.Status);
    }

    private async Task<long> RefusalsAsync(string messageType, string reason)
    {
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM refused_messages WHERE message_type = @messageType AND reason = @reason",
            new { messageType, reason });
    }

    private static async Task SendAsync(ITestHarness harness, CleanupSessions message, string? sender = null)
    {
        var endpoint = await harness.Bus.GetSendEndpoint(SkillForgeQueues.Address(SkillForgeQueues.Cleanup));
        await endpoint.Send(message, context =>
        {
            if (sender is not null)
            {
                context.Headers.Set(HarnessSenderIdentity.Header, sender);
            }
        });
    }

    private static Task<SessionsCleanedUp> NextReportAsync(ITestHarness harness, int count) => NextAsync<SessionsCleanedUp>(harness, count);

    /// <summary>The <paramref name="count"/>-th <typeparamref name="T"/> the worker published, waiting up to 30 s for it.</summary>
    private static async Task<T> NextAsync<T>(ITestHarness harness, int count = 1)
        where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (harness.Published.Select<T>().Count() < count)
        {
            await Task.Delay(50, timeout.Token);
        }
        return harness.Published.Select<T>().ElementAt(count - 1).Context.Message;
    }
}
