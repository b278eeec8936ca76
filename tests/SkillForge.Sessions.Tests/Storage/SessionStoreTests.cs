using Dapper;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

public sealed class SessionStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Should_round_trip_an_appended_turn_through_load()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());

        var first = await store.AppendTurnAsync(Turn(key, 0, "I want a skill", "Tell me more"), None);
        var second = await store.AppendTurnAsync(Turn(key, 1, "It formats SQL ✓ 日本語", "Got it", state: "gathering_details", previousState: "gathering_purpose"), None);

        Assert.Equal((AppendOutcome.Appended, 1L, 2), (first.Outcome, first.Version, first.MessageCount));
        Assert.Equal((AppendOutcome.Appended, 2L, 4), (second.Outcome, second.Version, second.MessageCount));
        var loaded = await store.LoadAsync(key, None);
        Assert.NotNull(loaded);
        Assert.Equal(2, loaded.Version);
        Assert.Equal(4, loaded.MessageCount);
        Assert.Equal("gathering_details", loaded.State);
        Assert.Equal(SessionStatus.Active, loaded.Status);
        Assert.Equal("""{"turn": 2}""", loaded.ContextJson);
        Assert.Equal([1L, 2, 3, 4], loaded.RecentMessages.Select(m => m.Seq));
        Assert.Equal(["user", "assistant", "user", "assistant"], loaded.RecentMessages.Select(m => m.Role));
        Assert.Equal("It formats SQL ✓ 日本語", loaded.RecentMessages[2].Content);
    }

    [Fact]
    public async Task Should_load_only_the_configured_window_of_latest_messages()
    {
        var store = await SharedDatabase.CreateStoreAsync(new SessionStoreOptions { WindowSize = 4 });
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 5);

        var loaded = await store.LoadAsync(key, None);

        Assert.Equal([7L, 8, 9, 10], loaded!.RecentMessages.Select(m => m.Seq));
        Assert.Equal(10, loaded.MessageCount);
    }

    [Fact]
    public async Task Should_return_null_for_an_unknown_session()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        Assert.Null(await store.LoadAsync(new SessionKey(TestIds.Tenant(), TestIds.Session()), None));
    }

    [Fact]
    public async Task Should_report_a_conflict_when_the_version_moved_and_write_nothing()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 2);

        var stale = await store.AppendTurnAsync(Turn(key, 1, "late writer"), None);
        var newAgain = await store.AppendTurnAsync(Turn(key, 0, "thinks it is new"), None);

        Assert.Equal(AppendOutcome.Conflict, stale.Outcome);
        Assert.Equal(AppendOutcome.Conflict, newAgain.Outcome);
        Assert.Equal(4, (await store.LoadAsync(key, None))!.MessageCount);
        Assert.Equal(4, await CountMessagesAsync(key));
    }

    [Fact]
    public async Task Should_return_the_stored_turn_for_a_replayed_turn_id_and_write_nothing()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        var turnId = Guid.NewGuid();
        await store.AppendTurnAsync(Turn(key, 0, "first", "first reply", turnId), None);
        await store.AppendTurnAsync(Turn(key, 1, "second", "second reply"), None);

        var replay = await store.AppendTurnAsync(Turn(key, 2, "first", "a different reply", turnId), None);

        Assert.Equal(AppendOutcome.AlreadyApplied, replay.Outcome);
        Assert.Equal(new StoredTurn(turnId, "first reply", 1, 2), replay.StoredTurn);
        var loaded = await store.LoadAsync(key, None);
        Assert.Equal(2, loaded!.Version);
        Assert.Equal(4, await CountMessagesAsync(key));
    }

    [Fact]
    public async Task Should_not_append_to_a_closed_session()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await store.AppendTurnAsync(Turn(key, 0, state: "completed", status: SessionStatus.Completed), None);

        var after = await store.AppendTurnAsync(Turn(key, 1), None);

        Assert.Equal(AppendOutcome.Conflict, after.Outcome);
        var loaded = await store.LoadAsync(key, None);
        Assert.Equal((SessionStatus.Completed, "my-skill", 1L), (loaded!.Status, loaded.SkillName, loaded.Version));
    }

    [Fact]
    public async Task Should_audit_creation_state_and_status_changes_without_content()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await store.AppendTurnAsync(Turn(key, 0, "secret words", state: "gathering_purpose"), None);
        await store.AppendTurnAsync(Turn(key, 1, "more secret words", state: "gathering_purpose", previousState: "gathering_purpose"), None);
        await store.AppendTurnAsync(Turn(key, 2, state: "completed", previousState: "gathering_purpose", status: SessionStatus.Completed), None);

        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        var events = (await connection.QueryAsync<(string Event, string? From, string? To, long? Version)>(
            "SELECT event, from_value, to_value, version FROM session_audit WHERE tenant_id = @t AND session_id = @s ORDER BY id",
            new { t = key.TenantId, s = key.SessionId })).ToList();

        Assert.Equal(
        [
            ("created", null, "gathering_purpose", 1),
            ("state_changed", "gathering_purpose", "completed", 3),
            ("status_changed", "active", "completed", 3),
        ], events);
    }

    [Fact]
    public async Task Should_keep_seq_contiguous_when_turns_race_on_one_session()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);

        // Eight writers computed their turn from version 1: exactly one may win.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.AppendTurnAsync(Turn(key, 1, $"racer {i}"), None)));

        Assert.Single(results, r => r.Outcome == AppendOutcome.Appended);
        Assert.Equal(7, results.Count(r => r.Outcome == AppendOutcome.Conflict));
        Assert.Equal([1L, 2, 3, 4], (await store.LoadAsync(key, None))!.RecentMessages.Select(m => m.Seq));
    }

    private static async Task<long> CountMessagesAsync(SessionKey key)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM messages WHERE tenant_id = @t AND session_id = @s", new { t = key.TenantId, s = key.SessionId });
    }
}
