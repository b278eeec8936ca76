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

/// <summary>A tenant's own periods: set, shown, cleared and audited, and applied by one cleanup run beside another tenant's.</summary>
public sealed class TenantRetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);
    private ScratchDatabase _db = null!;

    public async Task InitializeAsync() => _db = await ScratchDatabase.CreateAsync(TestServers.Database);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private TenantRetentionStore Store => new(new MaintenanceDatabase(_db.Maintenance));

    [Fact]
    public async Task Should_apply_each_tenants_periods_in_one_run_and_keep_what_is_exactly_at_its_cutoff()
    {
        // Tenant a keeps little; tenant b lives by the product's periods (30/90/30 days, audit 365).
        await Store.SetAsync("tenant-a", TimeSpan.FromDays(5), TimeSpan.FromDays(10), TimeSpan.FromDays(2), TimeSpan.FromDays(20), "alice", AsOf.AddDays(-400), default);
        var aIdle5 = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-5), tenant: "tenant-a");
        var aIdle5Plus = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-5).AddSeconds(-1), tenant: "tenant-a");
        var aDone10 = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-10), completedAt: AsOf.AddDays(-10), tenant: "tenant-a");
        var aDone10Plus = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-11), completedAt: AsOf.AddDays(-10).AddSeconds(-1), tenant: "tenant-a");
        var aGone2 = await SessionAsync(_db.Superuser, "abandoned", AsOf.AddDays(-40), abandonedAt: AsOf.AddDays(-2), tenant: "tenant-a");
        var aGone2Plus = await SessionAsync(_db.Superuser, "abandoned", AsOf.AddDays(-40), abandonedAt: AsOf.AddDays(-2).AddSeconds(-1), tenant: "tenant-a");
        var aAudit20 = await AuditLineAsync(_db.Superuser, AsOf.AddDays(-20), "tenant-a");
        var aAudit20Plus = await AuditLineAsync(_db.Superuser, AsOf.AddDays(-20).AddSeconds(-1), "tenant-a");
        var bIdle6 = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-6), tenant: "tenant-b");
        var bDone11 = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-11), completedAt: AsOf.AddDays(-11), tenant: "tenant-b");
        var bDone91 = await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-91), completedAt: AsOf.AddDays(-91), tenant: "tenant-b");
        var bGone3 = await SessionAsync(_db.Superuser, "abandoned", AsOf.AddDays(-40), abandonedAt: AsOf.AddDays(-3), tenant: "tenant-b");
        var bAudit21 = await AuditLineAsync(_db.Superuser, AsOf.AddDays(-21), "tenant-b");

        var report = await Run().RunAsync(AsOf, false, _ => Task.CompletedTask, default);

        Assert.Equal(("active", "abandoned"), (await StatusAsync(_db.Superuser, aIdle5), await StatusAsync(_db.Superuser, aIdle5Plus)));
        Assert.Equal(("completed", null), (await StatusAsync(_db.Superuser, aDone10), await StatusAsync(_db.Superuser, aDone10Plus)));
        Assert.Equal(("abandoned", null), (await StatusAsync(_db.Superuser, aGone2), await StatusAsync(_db.Superuser, aGone2Plus)));
        Assert.Equal((true, false), (await AuditLines.ExistsAsync(_db.Superuser, aAudit20), await AuditLines.ExistsAsync(_db.Superuser, aAudit20Plus)));
        Assert.Equal("active", await StatusAsync(_db.Superuser, bIdle6));
        Assert.Equal(("completed", null), (await StatusAsync(_db.Superuser, bDone11), await StatusAsync(_db.Superuser, bDone91)));
        Assert.Equal("abandoned", await StatusAsync(_db.Superuser, bGone3));
        Assert.True(await AuditLines.ExistsAsync(_db.Superuser, bAudit21));
        Assert.Equal((1, 3), (report.MarkedAbandoned, report.DeletedSessions));
    }

    [Fact]
    public async Task Should_count_in_a_dry_run_what_the_tenants_periods_would_change()
    {
        await Store.SetAsync("tenant-a", null, TimeSpan.FromDays(10), null, null, "alice", AsOf, default);
        await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-11), completedAt: AsOf.AddDays(-11), tenant: "tenant-a");
        await SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-11), completedAt: AsOf.AddDays(-11), tenant: "tenant-b");

        var dry = await Run().RunAsync(AsOf, true, _ => Task.CompletedTask, default);

        Assert.Equal(1, dry.DeletedSessions);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3650.5)]
    [InlineData(-1)]
    public async Task Should_refuse_a_period_outside_one_day_to_ten_years(double days)
    {
        var e = await Assert.ThrowsAsync<InvalidSessionInputException>(() =>
            Store.SetAsync("tenant-a", null, null, null, TimeSpan.FromDays(days), "alice", AsOf, default));

        Assert.Equal(InvalidSessionInputException.InvalidRequest, e.Code);
        Assert.Contains("DeleteAuditAfter", e.Message);
        Assert.Null(await Store.GetAsync("tenant-a", default));
    }

    [Fact]
    public async Task Should_accept_the_bounds_keep_periods_left_out_and_audit_who_changed_what()
    {
        await Store.SetAsync("tenant-a", TimeSpan.FromDays(1), null, null, null, "alice (skillforge-operator)", AsOf, default);
        var after = await Store.SetAsync("tenant-a", null, TimeSpan.FromDays(3650), null, null, "bob (skillforge-operator)", AsOf.AddMinutes(1), default);
        var cleared = await Store.ClearAsync("tenant-a", "carol (skillforge-operator)", AsOf.AddMinutes(2), default);
        var clearedAgain = await Store.ClearAsync("tenant-a", "carol (skillforge-operator)", AsOf.AddMinutes(3), default);

        Assert.Equal((TimeSpan.FromDays(1), TimeSpan.FromDays(3650), (TimeSpan?)null, (TimeSpan?)null),
            (after.AbandonAfterIdle, after.DeleteCompletedAfter, after.DeleteAbandonedAfter, after.DeleteAuditAfter));
        Assert.Equal("bob (skillforge-operator)", after.ChangedBy);
        Assert.Equal((true, false), (cleared, clearedAgain));
        Assert.Null(await Store.GetAsync("tenant-a", default));
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        var audit = (await connection.QueryAsync<(string Event, string? Actor)>(
            "SELECT event, actor FROM session_audit WHERE tenant_id = 'tenant-a' ORDER BY id")).ToList();
        Assert.Equal([("retention_set", "alice (skillforge-operator)"), ("retention_set", "bob (skillforge-operator)"),
            ("retention_cleared", "carol (skillforge-operator)")], audit);
    }

    [Fact]
    public async Task Should_keep_the_runtime_role_from_reading_or_changing_retention()
    {
        await using var connection = await _db.App.OpenConnectionAsync();
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            connection.ExecuteAsync("INSERT INTO tenant_retention (tenant_id, changed_by, changed_at) VALUES ('tenant-a', 'me', now())"));

        Assert.Equal(Npgsql.PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
    }

    [Fact]
    public void Should_leave_the_join_out_of_every_statement_of_a_run_where_no_tenant_has_periods()
    {
        string[] statements = [CleanupSql.AbandonBatch, CleanupSql.PurgeBatch, CleanupSql.KeptByHold, CleanupSql.PurgeAuditBatch, CleanupSql.DryRunCounts];

        Assert.All(statements, s => Assert.Contains("tenant_retention", s));
        Assert.All(statements, s => Assert.DoesNotContain("tenant_retention", CleanupSql.WithoutTenantPeriods(s)));
    }

    private CleanupRun Run() =>
        new(new MaintenanceDatabase(_db.Maintenance), Options.Create(new RetentionPolicy()), new ChatLatencies(), TimeProvider.System,
            NullLogger<CleanupRun>.Instance);
}
