using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Harness;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Retention;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Retention.RetentionSeed;

namespace SkillForge.Sessions.Tests.Retention;

/// <summary>The retention rules at their boundaries, on a scratch database (cleanup sees every tenant).</summary>
public sealed class CleanupRunTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);
    private ScratchDatabase _db = null!;

    public async Task InitializeAsync() => _db = await ScratchDatabase.CreateAsync(TestServers.Database);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Should_abandon_active_sessions_idle_past_thirty_days_and_keep_one_exactly_at_the_cutoff()
    {
        var idle29 = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-29));
        var idle30 = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-30));
        var idle31 = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-31));
        var stuckInError = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-31).AddTicks(1), state: "error");

        var report = await Run().RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal(2, report.MarkedAbandoned);
        Assert.Equal("active", await StatusAsync(_db.Superuser, idle29));
        Assert.Equal("active", await StatusAsync(_db.Superuser, idle30));
        Assert.Equal("abandoned", await StatusAsync(_db.Superuser, idle31));
        Assert.Equal("abandoned", await StatusAsync(_db.Superuser, stuckInError));
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        Assert.Equal(AsOf.UtcDateTime, await connection.ExecuteScalarAsync<DateTime>(
            "SELECT abandoned_at FROM sessions WHERE tenant_id = @TenantId AND session_id = @SessionId", idle31));
    }

    [Fact]
    public async Task Should_delete_completed_sessions_ninety_days_after_completion_with_their_messages()
    {
        var done89 = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-89), completedAt: AsOf.AddDays(-89), messages: 4);
        var done90 = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-90), completedAt: AsOf.AddDays(-90), messages: 4);
        var done91 = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-91), completedAt: AsOf.AddDays(-91), messages: 4);

        var report = await Run().RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal((0, 1, 4L), (report.MarkedAbandoned, report.DeletedSessions, report.DeletedMessages));
        Assert.Equal("completed", await StatusAsync(_db.Superuser, done89));
        Assert.Equal("completed", await StatusAsync(_db.Superuser, done90));
        Assert.Null(await StatusAsync(_db.Superuser, done91));
        Assert.Equal(0, await MessageCountAsync(_db.Superuser, done91));
        Assert.Equal(4, await MessageCountAsync(_db.Superuser, done90));
    }

    [Fact]
    public async Task Should_delete_abandoned_sessions_thirty_days_after_they_were_marked()
    {
        var marked29 = await SessionAsync(_db.Superuser, "abandoned", AsOf.AddDays(-60), abandonedAt: AsOf.AddDays(-29));
        var marked30 = await SessionAsync(_db.Superuser, "abandoned", AsOf.AddDays(-60), abandonedAt: AsOf.AddDays(-30));
        var marked31 = await SessionAsync(_db.Superuser, "abandoned", AsOf.AddDays(-60), abandonedAt: AsOf.AddDays(-31));

        var report = await Run().RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal((1, 2L), (report.DeletedSessions, report.DeletedMessages));
        Assert.Equal("abandoned", await StatusAsync(_db.Superuser, marked29));
        Assert.Equal("abandoned", await StatusAsync(_db.Superuser, marked30));
        Assert.Null(await StatusAsync(_db.Superuser, marked31));
    }

    [Fact]
    public async Task Should_delete_audit_lines_a_year_after_they_occurred_in_batches_and_keep_one_exactly_at_the_cutoff()
    {
        var day364 = await AuditLineAsync(_db.Superuser, AsOf.AddDays(-364));
        var day365 = await AuditLineAsync(_db.Superuser, AsOf.AddDays(-365));
        await AuditLineAsync(_db.Superuser, AsOf.AddDays(-365).AddTicks(-10));
        for (var i = 0; i < 4; i++)
        {
            await AuditLineAsync(_db.Superuser, AsOf.AddDays(-366 - 100 * i), tenant: i % 2 == 0 ? "tenant-a" : "tenant-b");
        }

        var report = await Run(batchSize: 2).RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal(5, report.DeletedAuditLines);
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        Assert.Equal([day364, day365], (await connection.QueryAsync<long>("SELECT id FROM session_audit ORDER BY id")).ToList());
        Assert.Equal(0, (await Run().RunAsync(AsOf, false, NoEviction, default)).DeletedAuditLines);
    }

    [Fact]
    public async Task Should_keep_audit_lines_as_long_as_the_policy_says()
    {
        var line = await AuditLineAsync(_db.Superuser, AsOf.AddDays(-400));

        var kept = await Run(deleteAuditAfter: TimeSpan.FromDays(730)).RunAsync(AsOf, false, NoEviction, default);
        var deleted = await Run(deleteAuditAfter: TimeSpan.FromDays(399)).RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal((0L, 1L), (kept.DeletedAuditLines, deleted.DeletedAuditLines));
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM session_audit WHERE id = @line", new { line }));
    }

    [Fact]
    public async Task Should_count_without_changing_anything_in_a_dry_run()
    {
        var idle = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-40));
        var done = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100), messages: 6);
        await AuditLineAsync(_db.Superuser, AsOf.AddDays(-400));
        await AuditLineAsync(_db.Superuser, AsOf.AddDays(-10));

        var report = await Run().RunAsync(AsOf, true, NoEviction, default);

        Assert.Equal((true, 1, 1, 6L, 1L), (report.DryRun, report.MarkedAbandoned, report.DeletedSessions, report.DeletedMessages, report.DeletedAuditLines));
        Assert.Equal("active", await StatusAsync(_db.Superuser, idle));
        Assert.Equal(6, await MessageCountAsync(_db.Superuser, done));
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM session_audit"));
    }

    [Fact]
    public async Task Should_do_nothing_the_second_time_for_the_same_as_of()
    {
        await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-40));
        await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100));

        var first = await Run().RunAsync(AsOf, false, NoEviction, default);
        var second = await Run().RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal((1, 1), (first.MarkedAbandoned, first.DeletedSessions));
        Assert.Equal((0, 0, 0L), (second.MarkedAbandoned, second.DeletedSessions, second.DeletedMessages));
    }

    [Fact]
    public async Task Should_work_through_more_data_than_one_batch_and_evict_every_session()
    {
        for (var i = 0; i < 7; i++)
        {
            await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-40));
            await SessionAsync(_db.Superuser, "abandoned", AsOf.AddDays(-90), abandonedAt: AsOf.AddDays(-45), messages: 2);
        }
        var evicted = new List<SessionKey>();

        var report = await Run(batchSize: 3).RunAsync(AsOf, false, keys => { evicted.AddRange(keys); return Task.CompletedTask; }, default);

        Assert.Equal((7, 7, 14L), (report.MarkedAbandoned, report.DeletedSessions, report.DeletedMessages));
        Assert.Equal(14, evicted.Distinct().Count());
    }

    [Fact]
    public async Task Should_do_the_work_once_when_two_runs_overlap()
    {
        for (var i = 0; i < 20; i++)
        {
            await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-40));
            await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100), messages: 2);
        }

        var reports = await Task.WhenAll(Run(batchSize: 4).RunAsync(AsOf, false, NoEviction, default), Run(batchSize: 4).RunAsync(AsOf, false, NoEviction, default));

        Assert.Equal(20, reports.Sum(r => r.MarkedAbandoned));
        Assert.Equal(20, reports.Sum(r => r.DeletedSessions));
        Assert.Equal(40, reports.Sum(r => r.DeletedMessages));
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        // Each purged session named once, in one batch's line (one line a batch and tenant).
        Assert.Equal((20L, 20L), await connection.QuerySingleAsync<(long, long)>(
            "SELECT count(*), count(DISTINCT s) FROM session_audit a, unnest(a.session_ids) s WHERE a.event = 'purged'"));
        Assert.Equal(40, await connection.ExecuteScalarAsync<long>("SELECT sum(count) FROM session_audit WHERE event = 'purged'"));
        Assert.Equal(20, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM session_audit WHERE event = 'status_changed' AND to_value = 'abandoned'"));
    }

    [Fact]
    public async Task Should_audit_purges_with_ids_counts_and_times_but_no_content()
    {
        var done = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100), messages: 4);

        await Run().RunAsync(AsOf, false, NoEviction, default);

        await using var connection = await _db.Superuser.OpenConnectionAsync();
        var audit = await connection.QuerySingleAsync<(string Event, long Count, DateTime At, string[] Ids)>(
            "SELECT event, count, occurred_at, session_ids FROM session_audit WHERE tenant_id = @TenantId AND @SessionId = ANY(session_ids)", done);
        Assert.Equal(("purged", 4L, AsOf.UtcDateTime), (audit.Event, audit.Count, audit.At));
        Assert.Equal([done.SessionId], audit.Ids);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM session_audit a WHERE a::text LIKE '%text %'"));
    }

    [Fact]
    public async Task Should_audit_a_purge_batch_in_one_line_a_tenant_with_its_sessions_and_their_messages()
    {
        var ofA = new List<SessionKey>();
        for (var i = 0; i < 3; i++)
        {
            ofA.Add(await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100), messages: 2 * (i + 1)));
        }
        var ofB = await SessionAsync(_db.Superuser, "abandoned", AsOf.AddDays(-90), abandonedAt: AsOf.AddDays(-45), messages: 6, tenant: "tenant-b");
        var kept = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-89), completedAt: AsOf.AddDays(-89), tenant: "tenant-b");

        var report = await Run().RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal((4, 18L), (report.DeletedSessions, report.DeletedMessages));
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        var lines = (await connection.QueryAsync<(string Tenant, string? SessionId, string[] Ids, long Count, DateTime At)>(
            "SELECT tenant_id, session_id, session_ids, count, occurred_at FROM session_audit WHERE event = 'purged' ORDER BY tenant_id")).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(("tenant-a", null, 12L, AsOf.UtcDateTime), (lines[0].Tenant, lines[0].SessionId, lines[0].Count, lines[0].At));
        Assert.Equal(ofA.Select(k => k.SessionId).Order(StringComparer.Ordinal), lines[0].Ids);
        Assert.Equal(("tenant-b", null, 6L, AsOf.UtcDateTime), (lines[1].Tenant, lines[1].SessionId, lines[1].Count, lines[1].At));
        Assert.Equal([ofB.SessionId], lines[1].Ids);
        Assert.Equal("completed", await StatusAsync(_db.Superuser, kept));
    }

    [Fact]
    public async Task Should_refuse_an_audit_line_with_both_or_neither_a_session_and_a_batch_of_them()
    {
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        foreach (var (one, many) in new (string?, string[]?)[] { ("s-1", ["s-1"]), (null, null) })
        {
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync(
                "INSERT INTO session_audit (tenant_id, session_id, session_ids, event, occurred_at) VALUES ('tenant-a', @one, @many, 'purged', now())",
                new { one, many }));
            Assert.Equal("ck_session_audit_one_or_many", refused.ConstraintName);
        }
    }

    [Fact]
    public async Task Should_rest_after_every_batch_that_changed_something_in_each_phase()
    {
        for (var i = 0; i < 3; i++)
        {
            await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-31));
            await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100), messages: 2);
            await AuditLineAsync(_db.Superuser, AsOf.AddDays(-400));
        }
        var clock = new DelayRecordingClock();
        var pause = TimeSpan.FromMilliseconds(5);

        var report = await Run(batchSize: 2, pause: pause, clock: clock).RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal((3, 3, 3L), (report.MarkedAbandoned, report.DeletedSessions, report.DeletedAuditLines));
        // Batches of 2, 1, then an empty one that ends the phase: two rests a phase, none after the empty batch.
        Assert.Equal(Enumerable.Repeat(pause, 6), clock.Delays);
    }

    [Fact]
    public async Task Should_not_rest_when_the_pause_is_zero_or_nothing_is_found()
    {
        await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100));
        var clock = new DelayRecordingClock();

        await Run(pause: TimeSpan.Zero, clock: clock).RunAsync(AsOf, false, NoEviction, default);
        await Run(pause: TimeSpan.FromSeconds(1), clock: clock).RunAsync(AsOf, false, NoEviction, default); // nothing left

        Assert.Empty(clock.Delays);
    }

    [Fact]
    public async Task Should_pace_itself_from_probes_of_commit_latency_and_rest_as_long_as_it_reports()
    {
        for (var i = 0; i < 3; i++)
        {
            await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-31));
            await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100), messages: 2);
            await AuditLineAsync(_db.Superuser, AsOf.AddDays(-400));
        }
        var clock = new DelayRecordingClock();

        var report = await Run(batchSize: 2, clock: clock, pacing: PurgePacing.Adaptive).RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal((3, 3, 3L), (report.MarkedAbandoned, report.DeletedSessions, report.DeletedAuditLines));
        Assert.Equal(PaceSignal.CommitProbe, report.PacedBy); // this process wrote no chat turns to go by
        Assert.True(report.PaceBaseline > TimeSpan.Zero, "the baseline is measured before the first batch");
        Assert.Equal(new PurgePace(new RetentionPolicy(), report.PaceBaseline).Target, report.PaceTarget); // what the report's reader compares probes to
        // Batches of 2 and 1 in each of the three phases: a step after each, with a probe of its own.
        Assert.Equal(6, report.Pace.Count);
        Assert.All(report.Pace, step => Assert.True(step.Probe > TimeSpan.Zero && step.Batch > TimeSpan.Zero));
        Assert.Equal(report.Pace.Select(step => step.Pause).Where(pause => pause > TimeSpan.Zero), clock.Delays);
    }

    [Fact]
    public async Task Should_pace_itself_by_the_chat_turns_this_process_wrote_just_before_the_run()
    {
        var chat = await ExpiredSessionsAndChatBeforeAsync(3);

        var report = await Run(batchSize: 2, pacing: PurgePacing.Adaptive, chat: chat).RunAsync(AsOf, false, NoEviction, default);

        Assert.Equal(3, report.DeletedSessions);
        Assert.Equal(PaceSignal.ChatTurns, report.PacedBy);
        Assert.InRange(report.PaceBaseline!.Value.TotalMilliseconds, 2, 3);
        Assert.Equal(report.PaceBaseline + PurgePace.Slack, report.PaceTarget); // 1.25 x 2 ms is within the slack
        Assert.All(report.Pace, step => Assert.True(step.Chat is not null && step.Probe == TimeSpan.Zero, step.ToString()));
    }

    [Fact]
    public async Task Should_narrow_its_batches_and_rest_while_chat_turns_are_slow_during_them()
    {
        var chat = await ExpiredSessionsAndChatBeforeAsync(30);
        var stop = false;
        // Chat suffering all along the run: turns of 50 ms against 2 ms before it, ending every few microseconds, so
        // that however short a batch is some end during it (a timer's millisecond could miss it).
        var slowChat = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                chat.Record(Stopwatch.GetTimestamp() - Stopwatch.Frequency / 20);
                Thread.SpinWait(1_000);
            }
        });
        var clock = new DelayRecordingClock();

        // Once the run has taken chat's p99 before it: the slow turns are what happens while it works.
        var report = await Run(batchSize: 20, clock: clock, pacing: PurgePacing.Adaptive, chat: chat)
            .RunAsync(AsOf, false, NoEviction, default, paced: _ => slowChat.Start());
        Volatile.Write(ref stop, true);
        slowChat.Join();

        Assert.Equal(30, report.DeletedSessions);
        Assert.True(report.Pace.Select(step => step.Sessions).SequenceEqual([20, 10]), string.Join("; ", report.Pace));
        Assert.NotEmpty(clock.Delays);
        Assert.True(report.PaceChat.Slow > 0, report.PaceChat.ToString());
    }

    /// <summary><paramref name="sessions"/> expired sessions, and 200 chat turns of 2 ms each just before the run.</summary>
    private async Task<ChatLatencies> ExpiredSessionsAndChatBeforeAsync(int sessions)
    {
        for (var i = 0; i < sessions; i++)
        {
            await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100), messages: 2);
        }
        var chat = new ChatLatencies();
        for (var i = 0; i < 200; i++)
        {
            chat.Record(Stopwatch.GetTimestamp() - Stopwatch.Frequency / 500);
        }
        return chat;
    }

    private CleanupRun Run(int batchSize = 1_000, TimeSpan? deleteAuditAfter = null, TimeSpan? pause = null, TimeProvider? clock = null,
        PurgePacing pacing = PurgePacing.Fixed, ChatLatencies? chat = null) =>
        new(new MaintenanceDatabase(_db.Maintenance), Options.Create(new RetentionPolicy
        {
            BatchSize = batchSize,
            DeleteAuditAfter = deleteAuditAfter ?? new RetentionPolicy().DeleteAuditAfter,
            PauseBetweenBatches = pause ?? new RetentionPolicy().PauseBetweenBatches,
            Pacing = pacing,
        }), chat ?? new ChatLatencies(), clock ?? TimeProvider.System, NullLogger<CleanupRun>.Instance);

    /// <summary>The system clock, noting each delay asked of it (a <c>Task.Delay</c> on this provider creates one timer).</summary>
    private sealed class DelayRecordingClock : TimeProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<TimeSpan> _delays = new();

        public IReadOnlyList<TimeSpan> Delays => [.. _delays];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _delays.Enqueue(dueTime);
            return System.CreateTimer(callback, state, dueTime, period);
        }
    }

    private static Task NoEviction(IReadOnlyList<SessionKey> keys) => Task.CompletedTask;
}
