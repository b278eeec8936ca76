using Dapper;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Erasure;

public sealed class EraseSessionConsumerTests : HarnessTests
{
    [Fact]
    public async Task Should_erase_the_session_from_postgres_and_redis_then_start_afresh()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        var secret = $"secret-{Guid.NewGuid():N}";
        await Client.SendTurnAsync(tenant, session, $"I want a skill about {secret}");
        await Client.SendTurnAsync(tenant, session, "Name it secret-keeper");
        Assert.True(await TestRedis.Shared.GetDatabase().KeyExistsAsync(SessionCache.KeyOf(new SessionKey(tenant, session))));

        var erased = (await Client.EraseAsync(tenant, session, "user asked")).Erased!;

        Assert.True(erased.Existed);
        Assert.Equal(4, erased.MessagesDeleted);
        Assert.False(await TestRedis.HoldsSessionAsync(new SessionKey(tenant, session)));
        await using (var connection = await SharedDatabase.Superuser.OpenConnectionAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
                "SELECT (SELECT count(*) FROM messages m WHERE m::text LIKE '%' || @secret || '%') + (SELECT count(*) FROM sessions s WHERE s::text LIKE '%' || @secret || '%')",
                new { secret }));
        }
        Assert.False((await Client.GetHistoryAsync(tenant, session)).Found);
        var again = await Client.SendTurnAsync(tenant, session, "I want a new skill");
        Assert.Equal(1, again.Replied!.Version);
    }

    [Fact]
    public async Task Should_refuse_a_turn_sent_before_the_erasure_and_let_a_new_turn_start_the_id_afresh()
    {
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());
        var old = new ProcessChatTurn(tenant, session, Guid.NewGuid(), "I want a skill about my secret project", null, DateTimeOffset.UtcNow);
        Assert.True((await Client.SendTurnAsync(old)).IsReplied);
        await Task.Delay(10);
        Assert.True((await Client.EraseAsync(tenant, session, "user request")).Erased!.Existed);

        // As a redrive from _error or a late resend would bring it: the same message, sent before the erasure.
        var redriven = await Client.SendTurnAsync(old with { TurnId = Guid.NewGuid() });
        var resent = await Client.SendTurnAsync(old);

        Assert.Equal("session_erased", redriven.Rejected?.Code);
        Assert.Equal("session_erased", resent.Rejected?.Code);
        Assert.False((await Client.GetHistoryAsync(tenant, session)).Found);
        var fresh = await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");
        Assert.Equal(1, fresh.Replied!.Version);
        Assert.DoesNotContain("secret project", string.Concat((await Client.GetHistoryAsync(tenant, session)).History!.Messages.Select(m => m.Content)));
    }

    [Fact]
    [Trait("Redis", "SingleNode")] // a proxy in front of one node: a cluster client goes around it to the others
    public async Task Should_retry_an_erasure_whose_cache_removal_after_the_commit_failed_and_answer_what_it_erased()
    {
        await using var redis = TcpProxy.To(TestRedis.Port);
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestRedis.ConfigurationAt(redis.Port),
        }));
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        Assert.True((await host.Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL")).IsReplied);

        // An erasure removes the cache entry before and after its commit: the connection is lost with the second.
        redis.DropOnceAt(System.Text.Encoding.UTF8.GetBytes(SessionCache.KeyOf(key)), occurrence: 2);
        var erased = (await host.Client.EraseAsync(key.TenantId, key.SessionId, "user request").WaitAsync(TimeSpan.FromSeconds(30))).Erased!;

        Assert.Equal(1, redis.Dropped);
        Assert.True(erased.Existed); // the retry found nothing left; the answer is what the first attempt erased
        Assert.Equal(2, erased.MessagesDeleted);
        Assert.Null(await host.Services.GetRequiredService<SessionStore>().LoadAsync(key, default));
        Assert.False(await TestRedis.HoldsSessionAsync(key));
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        Assert.Equal([2L, 0L], await connection.QueryAsync<long>(
            "SELECT count FROM session_audit WHERE tenant_id = @TenantId AND session_id = @SessionId AND event = 'erased' ORDER BY id",
            new { key.TenantId, key.SessionId })); // each attempt says it ran; only the first erased anything
    }

    [Fact]
    public async Task Should_answer_a_redelivered_erasure_with_what_it_erased_though_no_process_remembers_it()
    {
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());
        Assert.True((await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL")).IsReplied);
        var harness = Host.Services.GetRequiredService<ITestHarness>();
        var endpoint = await harness.Bus.GetSendEndpoint(SkillForgeQueues.Address(SkillForgeQueues.SessionErasure));
        var messageId = NewId.NextGuid();

        // The same message twice, as the broker redelivers one whose worker died between the commit and the answer;
        // sent without a request id, as from the management UI, so the message id names the request.
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await endpoint.Send(new EraseSession(tenant, session, "user request"), context => context.MessageId = messageId);
            var answered = delivery + 1;
            await Eventually.HoldsAsync(() => Task.FromResult(harness.Published.Select<SessionErased>(m => m.Context.Message.SessionId == session).Count() >= answered),
                TimeSpan.FromSeconds(20), $"an answer to delivery {answered}");
        }

        var answers = harness.Published.Select<SessionErased>(m => m.Context.Message.SessionId == session).Select(m => m.Context.Message).ToList();
        Assert.Equal([(true, 2), (true, 2)], answers.Select(a => (a.Existed, a.MessagesDeleted)));
        Assert.False((await Client.GetHistoryAsync(tenant, session)).Found);
    }

    [Fact]
    public async Task Should_answer_not_existed_for_an_unknown_or_foreign_session_and_touch_nothing()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");

        var unknown = (await Client.EraseAsync(tenant, TestIds.Session())).Erased!;
        var foreign = (await Client.EraseAsync(TestIds.Tenant(), session)).Erased!;
        var invalid = (await Client.EraseAsync(tenant, "bad id!")).Erased!;

        Assert.All([unknown, foreign, invalid], e => Assert.Equal((false, 0), (e.Existed, e.MessagesDeleted)));
        Assert.Equal(2, (await Client.GetHistoryAsync(tenant, session)).History!.Messages.Count);
    }
}
