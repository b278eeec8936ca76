using Dapper;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Retention;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

/// <summary>An erasure of what a legal hold covers is refused and audited, as the runtime role, and goes through once it is released.</summary>
public sealed class HeldErasureTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly LegalHoldStore Holds = new(new MaintenanceDatabase(SharedDatabase.Maintenance));

    [Theory]
    [InlineData("session")]
    [InlineData("user")]
    [InlineData("tenant")]
    public async Task Should_refuse_to_erase_a_held_session_leave_it_whole_and_erase_it_once_released(string scope)
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await store.AppendTurnAsync(Turn(key, 0) with { UserId = "u-1" }, None);
        var (sessionId, userId) = scope switch { "session" => (key.SessionId, null), "user" => (null, "u-1"), _ => ((string?)null, (string?)null) };
        await Holds.PlaceAsync(key.TenantId, sessionId, userId, "case 1", "alice", DateTimeOffset.UtcNow, None);

        var refused = await store.EraseAsync(key, "user request", Guid.NewGuid(), DateTimeOffset.UtcNow, None);

        Assert.True(refused.IsHeld);
        Assert.Equal(1, (await store.LoadAsync(key, None))!.Version);
        Assert.Equal(2, (await store.ReadHistoryAsync(key, 10, null, None))!.Messages.Count);
        await using (var connection = await SharedDatabase.Superuser.OpenConnectionAsync())
        {
            Assert.Equal("legal_hold", await connection.ExecuteScalarAsync<string>(
                "SELECT to_value FROM session_audit WHERE tenant_id = @TenantId AND session_id = @SessionId AND event = 'erasure_refused'", key));
        }

        await Holds.ReleaseAsync(key.TenantId, sessionId, userId, "bob", DateTimeOffset.UtcNow, None);
        var erased = await store.EraseAsync(key, "user request", Guid.NewGuid(), DateTimeOffset.UtcNow, None);

        Assert.Equal(new ErasureResult(true, 2, RemovedNow: true), erased);
        Assert.Null(await store.LoadAsync(key, None));
    }

    [Fact]
    public async Task Should_answer_what_a_request_erased_when_it_is_delivered_again_after_a_hold_was_placed()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 2);
        var request = Guid.NewGuid();
        await store.EraseAsync(key, "user request", request, DateTimeOffset.UtcNow, None);
        await Holds.PlaceAsync(key.TenantId, null, null, "case 1", "alice", DateTimeOffset.UtcNow, None);

        var again = await store.EraseAsync(key, "user request", request, DateTimeOffset.UtcNow, None);

        Assert.Equal(new ErasureResult(true, 4, RemovedNow: false), again);
    }

    [Fact]
    public async Task Should_not_let_another_tenants_hold_on_the_same_ids_stop_an_erasure()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await store.AppendTurnAsync(Turn(key, 0) with { UserId = "u-1" }, None);
        var other = TestIds.Tenant();
        await Holds.PlaceAsync(other, key.SessionId, null, "case 1", "alice", DateTimeOffset.UtcNow, None);
        await Holds.PlaceAsync(other, null, "u-1", "case 2", "alice", DateTimeOffset.UtcNow, None);

        var erased = await store.EraseAsync(key, "user request", Guid.NewGuid(), DateTimeOffset.UtcNow, None);

        Assert.False(erased.IsHeld);
        Assert.True(erased.Existed);
    }
}
