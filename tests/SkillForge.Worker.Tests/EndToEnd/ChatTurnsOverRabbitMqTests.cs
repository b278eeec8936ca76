using SkillForge.Client;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>The whole path over the real broker: request client → RabbitMQ → real worker host → PostgreSQL/Redis.</summary>
public sealed class ChatTurnsOverRabbitMqTests(RealWorkerFixture fixture) : IClassFixture<RealWorkerFixture>
{
    private SkillForgeClient Client => fixture.Client;

    [Fact]
    public async Task Should_list_a_users_sessions_for_an_upstream_service_over_the_broker()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        Assert.True((await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL", userId: "alice")).IsReplied);

        var listed = await Client.ListUserSessionsAsync(tenant, "alice");

        Assert.Equal([session], listed.Sessions.Select(s => s.SessionId));
        Assert.Equal("alice", (await Client.ExportSessionAsync(tenant, session))!.UserId);
    }

    [Fact]
    public async Task Should_carry_twenty_sessions_in_parallel()
    {
        var tenant = TestIds.Tenant();
        string[] script = ["I want a skill that formats SQL queries", "Name it sql-formatter", "Description: formats SQL for review"];

        var sessions = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var session = $"s-{i}";
            var versions = new List<long>();
            foreach (var text in script)
            {
                var result = await Client.SendTurnAsync(tenant, session, text);
                Assert.True(result.IsReplied, result.Rejected?.Reason);
                versions.Add(result.Replied!.Version);
            }
            return (session, versions);
        }));

        foreach (var (session, versions) in sessions)
        {
            Assert.Equal([1L, 2, 3], versions);
            var history = (await Client.GetHistoryAsync(tenant, session)).History!;
            Assert.Equal(script, history.Messages.Where(m => m.Role == "user").Select(m => m.Content));
        }
    }

    [Fact]
    public async Task Should_apply_eight_concurrent_turns_on_one_session_with_distinct_versions()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Client.SendTurnAsync(tenant, session, $"concurrent detail {i}")));

        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), results.Select(r => r.Replied!.Version).Order());
        var messages = (await Client.GetHistoryAsync(tenant, session)).History!.Messages;
        Assert.Equal(Enumerable.Range(1, 16).Select(s => (long)s), messages.Select(m => m.Seq));
        for (var i = 0; i < messages.Count; i += 2)
        {
            // Adjacent pairs: each user message is followed by the reply to it.
            Assert.Equal(("user", "assistant"), (messages[i].Role, messages[i + 1].Role));
            var replied = results.Single(r => r.Replied!.Version == messages[i + 1].Seq / 2).Replied!;
            Assert.Equal(replied.Reply, messages[i + 1].Content);
        }
    }

    [Fact]
    public async Task Should_resend_a_turn_id_and_get_the_stored_reply()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        var turnId = Guid.NewGuid();

        var first = await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL", turnId);
        var resent = await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL", turnId);

        Assert.False(first.Replied!.Replayed);
        Assert.True(resent.Replied!.Replayed);
        Assert.Equal(first.Replied.Reply, resent.Replied.Reply);
        Assert.Equal(2, (await Client.GetHistoryAsync(tenant, session)).History!.Messages.Count);
    }

    [Fact]
    public async Task Should_continue_a_session_after_a_worker_restart_with_redis_flushed()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await using (var own = await RealWorker.StartWorkerAsync())
        {
            await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");
            await Client.SendTurnAsync(tenant, session, "Name it sql-formatter");
            await own.StopAsync();
        }
        await TestRedis.Admin.GetDatabase().KeyDeleteAsync(SessionCache.KeyOf(new SessionKey(tenant, session)));
        await using var restarted = await RealWorker.StartWorkerAsync();

        var resumed = (await Client.SendTurnAsync(tenant, session, "Description: formats SQL")).Replied!;

        Assert.True(resumed.Resumed);
        Assert.Equal((3L, 6), (resumed.Version, resumed.MessageCount));
    }
}
