using Dapper;
using Npgsql;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Migrations;

/// <summary>
/// During a rolling upgrade, workers of before migration 0005 (one row a message) run beside new ones on the migrated
/// schema (one row a turn). Their statements, verbatim (<see cref="Before0005Sql"/>), as the runtime role: every one
/// must still work, and both generations must read what the other wrote.
/// </summary>
public sealed class RollingUpgradeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Should_let_an_old_worker_append_read_and_replay_beside_a_new_one()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        Assert.Equal((1L, 2), await OldAppendAsync(key, first, 0, "old worker, turn 1", "old reply 1"));
        Assert.Equal((2L, 4), await OldAppendAsync(key, second, 1, "old worker, turn 2", "old reply 2"));
        var third = await store.AppendTurnAsync(Turn(key, 2, "new worker, turn 3", "new reply 3"), None);

        Assert.Equal((AppendOutcome.Appended, 3L, 6), (third.Outcome, third.Version, third.MessageCount));
        var loadedByNew = await store.LoadAsync(key, None);
        Assert.Equal(["old worker, turn 1", "old reply 1", "old worker, turn 2", "old reply 2", "new worker, turn 3", "new reply 3"],
            loadedByNew!.RecentMessages.Select(m => m.Content));
        Assert.Equal([first, first, second, second], loadedByNew.RecentMessages.Take(4).Select(m => m.TurnId));
        var loadedByOld = await OldMessagesAsync(Before0005Sql.Load, new { key.TenantId, key.SessionId, Window = 20 });
        Assert.Equal([6L, 5, 4, 3, 2, 1], loadedByOld.Select(m => m.Seq));
        Assert.Equal(["assistant", "user", "assistant", "user", "assistant", "user"], loadedByOld.Select(m => m.Role));
        Assert.Equal("new reply 3", loadedByOld[0].Content);
        var oldHistory = await OldMessagesAsync(Before0005Sql.History, new { key.TenantId, key.SessionId, Limit = 2, BeforeSeq = 4L });
        Assert.Equal([3L, 2, 1], oldHistory.Select(m => m.Seq)); // Limit + 1: the extra one says HasMore

        // A resent turn: the old worker must recognise it by the old index's name, find the stored reply, and write nothing.
        var replay = await Assert.ThrowsAsync<PostgresException>(() => OldAppendAsync(key, second, 3, "old worker, turn 2", "old reply 2"));
        Assert.Equal((PostgresErrorCodes.UniqueViolation, "ux_messages_turn"), (replay.SqlState, replay.ConstraintName));
        var found = await OldFindTurnAsync(key, second);
        Assert.Equal((second, "old reply 2", 2L, 4), found);
        Assert.Equal(3L, (await store.LoadAsync(key, None))!.Version);
        var newReplay = await store.AppendTurnAsync(Turn(key, 3, "old worker, turn 1", turnId: first), None);
        Assert.Equal((AppendOutcome.AlreadyApplied, 1L, 2), (newReplay.Outcome, newReplay.Version, newReplay.MessageCount));
    }

    [Fact]
    public async Task Should_let_an_old_worker_erase_a_session_whole()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 3);

        await using var connection = await SharedDatabase.App.OpenConnectionAsync();
        using var results = await connection.QueryMultipleAsync(Before0005Sql.Erase,
            new { key.TenantId, key.SessionId, Reason = "user request", At = DateTime.UtcNow });
        await results.ReadAsync();
        var messagesDeleted = await results.ReadSingleAsync<int>();
        var sessionsDeleted = await results.ReadSingleAsync<int>();

        Assert.Equal((6, 1), (messagesDeleted, sessionsDeleted));
        Assert.Null(await store.LoadAsync(key, None));
        await using var admin = await SharedDatabase.Superuser.OpenConnectionAsync();
        Assert.Equal(0, await admin.ExecuteScalarAsync<long>("SELECT count(*) FROM turns WHERE tenant_id = @TenantId AND session_id = @SessionId", key));
    }

    [Fact]
    public async Task Should_refuse_an_assistant_message_without_its_user_message_and_write_nothing()
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await OldAppendAsync(key, Guid.NewGuid(), 0, "hello", "hi");

        await using var connection = await SharedDatabase.App.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("""
            SELECT set_config('skillforge.tenant_id', @TenantId, true);
            INSERT INTO messages (tenant_id, session_id, seq, role, content, turn_id, created_at)
            VALUES (@TenantId, @SessionId, 4, 'assistant', 'a reply to nothing', gen_random_uuid(), now());
            """, key));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        var messages = await OldMessagesAsync(Before0005Sql.Load, new { key.TenantId, key.SessionId, Window = 20 });
        Assert.Equal([2L, 1], messages.Select(m => m.Seq));
    }

    private static async Task<(long Version, int MessageCount)> OldAppendAsync(SessionKey key, Guid turnId, long expectedVersion, string userText, string reply)
    {
        await SharedDatabase.EnsureMigratedAsync();
        await using var connection = await SharedDatabase.App.OpenConnectionAsync();
        using var results = await connection.QueryMultipleAsync(expectedVersion == 0 ? Before0005Sql.AppendToNew : Before0005Sql.AppendToExisting, new
        {
            key.TenantId,
            key.SessionId,
            TurnId = turnId,
            ExpectedVersion = expectedVersion,
            UserText = userText,
            Reply = reply,
            PreviousState = "gathering_purpose",
            State = "gathering_purpose",
            Status = SessionStatus.Active,
            SkillName = (string?)null,
            SkillDescription = (string?)null,
            ContextJson = "{}",
            At = DateTime.UtcNow,
        });
        await results.ReadAsync();
        return await results.ReadSingleAsync<(long, int)>();
    }

    private static async Task<List<(long Seq, string Role, string Content, Guid TurnId, DateTime CreatedAt)>> OldMessagesAsync(string sql, object parameters)
    {
        await using var connection = await SharedDatabase.App.OpenConnectionAsync();
        using var results = await connection.QueryMultipleAsync(sql, parameters);
        await results.ReadAsync(); // set_config
        await results.ReadAsync(); // the session row
        return (await results.ReadAsync<(long, string, string, Guid, DateTime)>()).ToList();
    }

    private static async Task<(Guid TurnId, string Reply, long Version, int MessageCount)> OldFindTurnAsync(SessionKey key, Guid turnId)
    {
        await using var connection = await SharedDatabase.App.OpenConnectionAsync();
        using var results = await connection.QueryMultipleAsync(Before0005Sql.FindTurn, new { key.TenantId, key.SessionId, TurnId = turnId });
        await results.ReadAsync();
        return await results.ReadSingleAsync<(Guid, string, long, int)>();
    }
}
