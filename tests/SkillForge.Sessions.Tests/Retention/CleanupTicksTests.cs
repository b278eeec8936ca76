using Dapper;
using SkillForge.Harness;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Retention;
using SkillForge.Testing;

namespace SkillForge.Sessions.Tests.Retention;

/// <summary>Who may claim a schedule tick, on a scratch database: one owner, retries by it, take-over after the lease.</summary>
public sealed class CleanupTicksTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Tick = new(2026, 11, 25, 3, 0, 0, TimeSpan.Zero);
    private ScratchDatabase _db = null!;
    private CleanupTicks _ticks = null!;

    public async Task InitializeAsync()
    {
        _db = await ScratchDatabase.CreateAsync(TestServers.Database);
        _ticks = new CleanupTicks(new MaintenanceDatabase(_db.Maintenance));
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Should_let_one_instance_claim_a_tick_and_claim_it_again_until_it_is_sent()
    {
        Assert.True(await _ticks.TryClaimAsync(Tick, "a", default));
        Assert.False(await _ticks.TryClaimAsync(Tick, "b", default));
        Assert.True(await _ticks.TryClaimAsync(Tick, "a", default)); // a's send failed: a tries again

        await _ticks.MarkSentAsync(Tick, "a", default);

        Assert.False(await _ticks.TryClaimAsync(Tick, "a", default));
        Assert.False(await _ticks.TryClaimAsync(Tick, "b", default));
    }

    [Fact]
    public async Task Should_hand_an_unsent_tick_to_another_instance_once_the_lease_is_over()
    {
        Assert.True(await _ticks.TryClaimAsync(Tick, "a", default));
        await AgeClaimAsync(CleanupTicks.Lease + TimeSpan.FromSeconds(1));

        Assert.True(await _ticks.TryClaimAsync(Tick, "b", default));
        Assert.False(await _ticks.TryClaimAsync(Tick, "a", default)); // b holds it now
        await _ticks.MarkSentAsync(Tick, "a", default); // a late mark by the old owner changes nothing
        Assert.Null(await SentAtAsync());
    }

    [Fact]
    public async Task Should_never_hand_over_a_sent_tick_however_old()
    {
        Assert.True(await _ticks.TryClaimAsync(Tick, "a", default));
        await _ticks.MarkSentAsync(Tick, "a", default);
        await AgeClaimAsync(TimeSpan.FromDays(1));

        Assert.False(await _ticks.TryClaimAsync(Tick, "b", default));
        Assert.NotNull(await SentAtAsync());
    }

    [Fact]
    public async Task Should_forget_ticks_more_than_a_week_older_than_the_one_sent()
    {
        await using (var connection = await _db.Superuser.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                INSERT INTO cleanup_ticks (tick, claimed_by, claimed_at, sent_at) VALUES
                    (@Tick - interval '7 days 1 second', 'a', now(), now()),
                    (@Tick - interval '7 days', 'a', now(), now()),
                    (@Tick - interval '8 days', 'a-worker-that-died', now(), NULL)
                """, new { Tick = Tick.UtcDateTime });
        }

        Assert.True(await _ticks.TryClaimAsync(Tick, "b", default));
        await _ticks.MarkSentAsync(Tick, "b", default);

        await using var check = await _db.Superuser.OpenConnectionAsync();
        var kept = (await check.QueryAsync<DateTime>("SELECT tick FROM cleanup_ticks ORDER BY tick")).ToList();
        Assert.Equal([(Tick - CleanupTicks.History).UtcDateTime, Tick.UtcDateTime], kept);
        Assert.NotNull(await SentAtAsync());
    }

    private async Task AgeClaimAsync(TimeSpan age)
    {
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE cleanup_ticks SET claimed_at = now() - @age", new { age });
    }

    private async Task<DateTime?> SentAtAsync()
    {
        await using var connection = await _db.Superuser.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<DateTime?>("SELECT sent_at FROM cleanup_ticks WHERE tick = @Tick", new { Tick = Tick.UtcDateTime });
    }
}
