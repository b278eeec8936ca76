using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Contracts;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Worker.ChatTurns;
using StackExchange.Redis;

namespace SkillForge.Worker.Tests.ChatTurns;

/// <summary>The chat-turn rules of the worker issue, on the real PostgreSQL and Redis, without a broker.</summary>
public sealed class ChatTurnHandlerTests : HarnessTests
{
    private ChatTurnHandler Handler => Host.Services.GetRequiredService<ChatTurnHandler>();

    private SessionStore Store => Host.Services.GetRequiredService<SessionStore>();

    private SessionCache Cache => Host.Services.GetRequiredService<SessionCache>();

    [Fact]
    public async Task Should_start_an_unknown_session_at_version_one()
    {
        var turn = Turn(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL queries");

        var replied = (await Handler.HandleAsync(turn, default)).Replied;

        Assert.NotNull(replied);
        Assert.Equal((1L, 2, false, false, "active"), (replied.Version, replied.MessageCount, replied.Resumed, replied.Replayed, replied.Status));
        Assert.False(string.IsNullOrWhiteSpace(replied.Reply));
        Assert.Equal(1, (await Store.LoadAsync(Key(turn), default))!.Version);
    }

    [Fact]
    public async Task Should_continue_from_the_cache_then_resume_from_postgres_after_a_flush()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Handler.HandleAsync(Turn(tenant, session, "I want a skill that formats SQL"), default);

        var fromCache = (await Handler.HandleAsync(Turn(tenant, session, "Name it sql-formatter"), default)).Replied!;
        await Cache.RemoveOrThrowAsync(new SessionKey(tenant, session));
        var fromDatabase = (await Handler.HandleAsync(Turn(tenant, session, "Description: formats SQL"), default)).Replied!;

        Assert.Equal((2L, false), (fromCache.Version, fromCache.Resumed));
        Assert.Equal((3L, 6, true), (fromDatabase.Version, fromDatabase.MessageCount, fromDatabase.Resumed));
    }

    [Fact]
    public async Task Should_replay_a_known_turn_id_and_write_nothing()
    {
        var first = Turn(TestIds.Tenant(), TestIds.Session(), "I want a skill that writes release notes");
        var original = (await Handler.HandleAsync(first, default)).Replied!;
        await Handler.HandleAsync(Turn(first.TenantId, first.SessionId, "Name it release-notes"), default);

        var fromWindow = (await Handler.HandleAsync(first, default)).Replied!;
        await Cache.RemoveOrThrowAsync(Key(first));
        var fromDatabase = (await Handler.HandleAsync(first, default)).Replied!;

        foreach (var replay in new[] { fromWindow, fromDatabase })
        {
            Assert.True(replay.Replayed);
            Assert.Equal((original.Reply, 1L, 2), (replay.Reply, replay.Version, replay.MessageCount));
        }
        Assert.Equal(4, await CountMessagesAsync(Key(first)));
    }

    [Fact]
    public async Task Should_replay_an_old_turn_id_that_fell_out_of_the_window()
    {
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Sessions:WindowSize"] = "2" }));
        var handler = host.Services.GetRequiredService<ChatTurnHandler>();
        var first = Turn(TestIds.Tenant(), TestIds.Session(), "I want a skill that writes release notes");
        var original = (await handler.HandleAsync(first, default)).Replied!;
        await handler.HandleAsync(Turn(first.TenantId, first.SessionId, "Name it release-notes"), default);
        await handler.HandleAsync(Turn(first.TenantId, first.SessionId, "Description: drafts notes"), default);

        var replay = (await handler.HandleAsync(first, default)).Replied!;

        Assert.True(replay.Replayed);
        Assert.Equal(original.Reply, replay.Reply);
        Assert.Equal(6, await CountMessagesAsync(Key(first)));
    }

    public static TheoryData<string, string, string, string> BadTurns => new()
    {
        { "", "s", "hello", "invalid_request" },
        { "t", "bad id!", "hello", "invalid_request" },
        { "t", new string('s', 129), "hello", "invalid_request" },
        { "t", "s", "", "invalid_request" },
        { "t", "s", "nul\0inside", "invalid_request" },
        { "t", "s", new string('x', 16_385), "too_large" },
    };

    [Theory]
    [MemberData(nameof(BadTurns))]
    public async Task Should_reject_invalid_input_with_a_code_and_write_nothing(string tenant, string session, string text, string code)
    {
        var tenantId = tenant == "t" ? TestIds.Tenant() : tenant;
        var outcome = await Handler.HandleAsync(Turn(tenantId, session, text), default);

        Assert.Null(outcome.Replied);
        Assert.Equal(code, outcome.Rejected!.Code);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Rejected.Reason));
        if (tenantId.Length > 0)
        {
            Assert.Equal(0, await CountTenantRowsAsync(tenantId));
        }
    }

    [Fact]
    public async Task Should_reject_an_empty_turn_id()
    {
        var outcome = await Handler.HandleAsync(Turn(TestIds.Tenant(), TestIds.Session(), "hello") with { TurnId = Guid.Empty }, default);
        Assert.Equal("invalid_request", outcome.Rejected!.Code);
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("abandoned")]
    public async Task Should_reject_a_turn_on_a_closed_session_but_replay_the_turn_that_closed_it(string status)
    {
        var first = Turn(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL");
        await Handler.HandleAsync(first, default);
        await CloseAsync(Key(first), status);

        var rejected = await Handler.HandleAsync(Turn(first.TenantId, first.SessionId, "one more thing"), default);
        var replay = await Handler.HandleAsync(first, default);

        Assert.Equal(ChatTurnHandler.SessionClosed, rejected.Rejected!.Code);
        Assert.Contains(status, rejected.Rejected.Reason);
        Assert.True(replay.Replied!.Replayed);
        Assert.Equal(2, await CountMessagesAsync(Key(first)));
    }

    [Fact]
    public async Task Should_reject_a_turn_whose_session_cleanup_abandons_while_the_turn_is_in_flight()
    {
        var first = Turn(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL");
        await Handler.HandleAsync(first, default); // the cache now holds the session as active
        await using var cleanup = await SharedDatabase.Superuser.OpenConnectionAsync();
        await using var transaction = await cleanup.BeginTransactionAsync();
        // What a cleanup batch does to the row: lock it and mark it abandoned, not committed yet.
        await cleanup.ExecuteAsync("""
            SELECT 1 FROM sessions WHERE tenant_id = @t AND session_id = @s FOR UPDATE;
            UPDATE sessions SET status = 'abandoned', abandoned_at = now() WHERE tenant_id = @t AND session_id = @s;
            """, new { t = first.TenantId, s = first.SessionId }, transaction);

        var cleanupPid = await cleanup.ExecuteScalarAsync<int>("SELECT pg_backend_pid()", transaction: transaction);

        var turn = Handler.HandleAsync(Turn(first.TenantId, first.SessionId, "one more thing"), default);
        // The turn's append is seen blocked on the cleanup's row lock: a positive sign, not a pause and a guess.
        await using (var observer = await SharedDatabase.Superuser.OpenConnectionAsync())
        {
            await Eventually.HoldsAsync(async () => await observer.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE @cleanupPid = ANY (pg_blocking_pids(pid)))", new { cleanupPid }),
                what: "the turn waiting for the cleanup's row lock");
        }
        Assert.False(turn.IsCompleted);
        await transaction.CommitAsync();
        var outcome = await turn;

        Assert.Equal(ChatTurnHandler.SessionClosed, outcome.Rejected!.Code);
        Assert.Equal(2, await CountMessagesAsync(Key(first)));
    }

    [Fact]
    public async Task Should_reject_a_turn_on_a_session_being_purged_and_leave_no_stray_messages()
    {
        var first = Turn(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL");
        await Handler.HandleAsync(first, default);
        await CloseAsync(Key(first), "abandoned");
        await using var cleanup = await SharedDatabase.Superuser.OpenConnectionAsync();
        await using var transaction = await cleanup.BeginTransactionAsync();
        // A purge batch mid-way: the row deleted, its messages with it (ON DELETE CASCADE), not committed yet.
        await cleanup.ExecuteAsync("DELETE FROM sessions WHERE tenant_id = @t AND session_id = @s",
            new { t = first.TenantId, s = first.SessionId }, transaction);

        var outcome = await Handler.HandleAsync(Turn(first.TenantId, first.SessionId, "one more thing"), default);
        await transaction.CommitAsync();

        Assert.Equal(ChatTurnHandler.SessionClosed, outcome.Rejected!.Code);
        Assert.Equal(0, await CountTenantRowsAsync(first.TenantId));
    }

    [Fact]
    public async Task Should_recompute_after_losing_a_version_race_to_a_stale_cache()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Handler.HandleAsync(Turn(tenant, session, "I want a skill that formats SQL"), default);
        var stale = await Cache.GetAsync(new SessionKey(tenant, session));
        await Handler.HandleAsync(Turn(tenant, session, "Name it sql-formatter"), default);
        // Another instance's view: the cache goes back to version 1 while PostgreSQL is at 2.
        await Cache.RemoveOrThrowAsync(new SessionKey(tenant, session));
        await Cache.SetAsync(stale!);

        var replied = (await Handler.HandleAsync(Turn(tenant, session, "Description: formats SQL"), default)).Replied!;

        Assert.Equal((3L, 6), (replied.Version, replied.MessageCount));
        var history = await Store.ReadHistoryAsync(new SessionKey(tenant, session), 100, null, default);
        Assert.Equal([1L, 2, 3, 4, 5, 6], history!.Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task Should_keep_answering_from_postgres_when_redis_is_down()
    {
        var dead = TestRedis.Dead();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton(dead)));
        var handler = host.Services.GetRequiredService<ChatTurnHandler>();
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();

        var first = (await handler.HandleAsync(Turn(tenant, session, "I want a skill that formats SQL"), default)).Replied!;
        var second = (await handler.HandleAsync(Turn(tenant, session, "Name it sql-formatter"), default)).Replied!;

        Assert.Equal((1L, false), (first.Version, first.Resumed));
        Assert.Equal((2L, true), (second.Version, second.Resumed));
    }

    [Fact]
    public async Task Should_reject_a_corrupt_session_without_crashing()
    {
        var first = Turn(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL");
        await Handler.HandleAsync(first, default);
        await Cache.RemoveOrThrowAsync(Key(first));
        await using (var connection = await SharedDatabase.Superuser.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE sessions SET context = '{\"schema_version\": \"not a number\", \"state\": 42}' WHERE tenant_id = @t AND session_id = @s",
                new { t = first.TenantId, s = first.SessionId });
        }

        var outcome = await Handler.HandleAsync(Turn(first.TenantId, first.SessionId, "hello again"), default);

        Assert.Equal(ChatTurnHandler.SessionCorrupt, outcome.Rejected!.Code);
        Assert.Equal(2, await CountMessagesAsync(Key(first)));
    }

    private static ProcessChatTurn Turn(string tenant, string session, string text) =>
        new(tenant, session, Guid.NewGuid(), text, "user-1", DateTimeOffset.UtcNow);

    private static SessionKey Key(ProcessChatTurn turn) => new(turn.TenantId, turn.SessionId);

    private static async Task CloseAsync(SessionKey key, string status)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE sessions SET status = @status WHERE tenant_id = @t AND session_id = @s",
            new { status, t = key.TenantId, s = key.SessionId });
        await TestRedis.Admin.GetDatabase().KeyDeleteAsync(SessionCache.KeyOf(key));
    }

    private static async Task<long> CountMessagesAsync(SessionKey key)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM messages WHERE tenant_id = @t AND session_id = @s",
            new { t = key.TenantId, s = key.SessionId });
    }

    private static async Task<long> CountTenantRowsAsync(string tenant)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM sessions WHERE tenant_id = @t) + (SELECT count(*) FROM messages WHERE tenant_id = @t)", new { t = tenant });
    }
}
