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

/// <summary>Legal holds: placed, released and audited; what they cover is not purged until released, and still abandoned.</summary>
public sealed class LegalHoldTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AsOf = new(2026, 6, 1, 3, 0, 0, TimeSpan.Zero);
    private ScratchDatabase _db = null!;

    public async Task InitializeAsync() => _db = await ScratchDatabase.CreateAsync(TestServers.Database);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private LegalHoldStore Holds => new(new MaintenanceDatabase(_db.Maintenance));

    [Fact]
    public async Task Should_keep_what_a_session_a_user_or_a_tenant_hold_covers_from_the_purge_and_count_it()
    {
        var heldSession = await Expired("tenant-a");
        var heldUsers = await Expired("tenant-a", user: "u-held");
        var otherUsers = await Expired("tenant-a", user: "u-free");
        var free = await Expired("tenant-a");
        var heldTenants = await Expired("tenant-b");
        var sameUserOtherTenant = await Expired("tenant-c", user: "u-held");
        await Holds.PlaceAsync("tenant-a", heldSession.SessionId, null, "case 1", "alice", AsOf, default);
        await Holds.PlaceAsync("tenant-a", null, "u-held", "case 2", "alice", AsOf, default);
        await Holds.PlaceAsync("tenant-b", null, null, "case 3", "alice", AsOf, default);

        var dry = await Run().RunAsync(AsOf, true, _ => Task.CompletedTask, default);
        var report = await Run().RunAsync(AsOf, false, _ => Task.CompletedTask, default);

        Assert.Equal((3, 3), (dry.DeletedSessions, dry.KeptByHold));
        Assert.Equal((3, 3), (report.DeletedSessions, report.KeptByHold));
        Assert.NotNull(await StatusAsync(_db.Superuser, heldSession));
        Assert.NotNull(await StatusAsync(_db.Superuser, heldUsers));
        Assert.NotNull(await StatusAsync(_db.Superuser, heldTenants));
        Assert.Equal(2, await MessageCountAsync(_db.Superuser, heldUsers));
        Assert.Null(await StatusAsync(_db.Superuser, otherUsers));
        Assert.Null(await StatusAsync(_db.Superuser, free));
        Assert.Null(await StatusAsync(_db.Superuser, sameUserOtherTenant));
    }

    [Fact]
    public async Task Should_purge_once_the_hold_is_released()
    {
        var held = await Expired("tenant-a", user: "u1");
        await Holds.PlaceAsync("tenant-a", null, "u1", "case 1", "alice", AsOf, default);
        await Run().RunAsync(AsOf, false, _ => Task.CompletedTask, default);
        Assert.NotNull(await StatusAsync(_db.Superuser, held));

        var released = await Holds.ReleaseAsync("tenant-a", null, "u1", "bob", AsOf.AddMinutes(1), default);
        var report = await Run().RunAsync(AsOf.AddMinutes(2), false, _ => Task.CompletedTask, default);

        Assert.Equal("bob", released!.ReleasedBy);
        Assert.Equal((1, 0), (report.DeletedSessions, report.KeptByHold));
        Assert.Null(await StatusAsync(_db.Superuser, held));
    }

    [Fact]
    public async Task Should_still_abandon_an_idle_held_session_and_keep_its_audit_lines()
    {
        var idle = await SessionAsync(_db.Superuser, "active", AsOf.AddDays(-31), tenant: "tenant-a");
        var oldLine = await AuditLineAsync(_db.Superuser, AsOf.AddDays(-400), "tenant-a", idle.SessionId);
        var unheldLine = await AuditLineAsync(_db.Superuser, AsOf.AddDays(-400), "tenant-a");
        await Holds.PlaceAsync("tenant-a", idle.SessionId, null, "case 1", "alice", AsOf, default);

        var report = await Run().RunAsync(AsOf, false, _ => Task.CompletedTask, default);

        Assert.Equal(1, report.MarkedAbandoned);
        Assert.Equal("abandoned", await StatusAsync(_db.Superuser, idle));
        Assert.True(await AuditLines.ExistsAsync(_db.Superuser, oldLine));
        Assert.False(await AuditLines.ExistsAsync(_db.Superuser, unheldLine));
    }

    [Fact]
    public async Task Should_answer_the_hold_in_force_when_placed_again_and_audit_place_and_release()
    {
        var (first, placedFirst) = await Holds.PlaceAsync("tenant-a", "s-1", null, "case 1", "alice (op)", AsOf, default);
        var (again, placedAgain) = await Holds.PlaceAsync("tenant-a", "s-1", null, "case 9", "bob (op)", AsOf, default);
        var released = await Holds.ReleaseAsync("tenant-a", "s-1", null, "carol (op)", AsOf, default);
        var releasedAgain = await Holds.ReleaseAsync("tenant-a", "s-1", null, "carol (op)", AsOf, default);
        var (fresh, _) = await Holds.PlaceAsync("tenant-a", "s-1", null, "case 10", "dave (op)", AsOf, default);

        Assert.Equal((true, false, first.Id, "case 1"), (placedFirst, placedAgain, again.Id, again.Reason));
        Assert.Equal((first.Id, "carol (op)"), (released!.Id, released.ReleasedBy));
        Assert.Null(releasedAgain);
        Assert.NotEqual(first.Id, fresh.Id);
        Assert.Equal([fresh.Id], (await Holds.ListAsync("tenant-a", false, default)).Select(h => h.Id));
        Assert.Equal(2, (await Holds.ListAsync(null, true, default)).Count);
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        var audit = (await connection.QueryAsync<(string Event, string? Session, string? Actor)>(
            "SELECT event, session_id, actor FROM session_audit WHERE tenant_id = 'tenant-a' ORDER BY id")).ToList();
        Assert.Equal([("hold_placed", "s-1", "alice (op)"), ("hold_released", "s-1", "carol (op)"), ("hold_placed", "s-1", "dave (op)")], audit);
    }

    [Theory]
    [InlineData("s-1", "u-1", "Reason", "not both")]
    [InlineData(null, null, "", "Reason must not be empty")]
    [InlineData(null, "u\u001b[2J", "Reason", "UserId")]
    [InlineData("bad id!", null, "Reason", "SessionId")]
    public async Task Should_refuse_a_hold_with_bad_input_and_place_nothing(string? session, string? user, string reason, string says)
    {
        var e = await Assert.ThrowsAsync<InvalidSessionInputException>(() => Holds.PlaceAsync("tenant-a", session, user, reason, "alice", AsOf, default));

        Assert.Contains(says, e.Message);
        Assert.Empty(await Holds.ListAsync(null, true, default));
    }

    [Fact]
    public async Task Should_let_the_runtime_role_read_only_its_own_tenants_holds_and_change_none()
    {
        await Holds.PlaceAsync("tenant-a", null, null, "case 1", "alice", AsOf, default);
        await using var connection = await _db.App.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("SELECT set_config('skillforge.tenant_id', 'tenant-b', true)");

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM legal_holds"));
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.ExecuteAsync("UPDATE legal_holds SET released_at = now()"));
        Assert.Equal(Npgsql.PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
    }

    private Task<SessionKey> Expired(string tenant, string? user = null) =>
        SessionAsync(_db.Superuser, "completed", AsOf.AddDays(-100), completedAt: AsOf.AddDays(-100), tenant: tenant, user: user);

    private CleanupRun Run() =>
        new(new MaintenanceDatabase(_db.Maintenance), Options.Create(new RetentionPolicy()), new ChatLatencies(), TimeProvider.System,
            NullLogger<CleanupRun>.Instance);
}
