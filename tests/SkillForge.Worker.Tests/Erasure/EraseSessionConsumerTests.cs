using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Sessions;
using SkillForge.Sessions.Caching;
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

        var erased = await Client.EraseAsync(tenant, session, "user asked");

        Assert.True(erased.Existed);
        Assert.Equal(4, erased.MessagesDeleted);
        Assert.False(await TestRedis.Shared.GetDatabase().KeyExistsAsync(SessionCache.KeyOf(new SessionKey(tenant, session))));
        await using (var connection = await SharedDatabase.Admin.OpenConnectionAsync())
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
    public async Task Should_answer_not_existed_for_an_unknown_or_foreign_session_and_touch_nothing()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");

        var unknown = await Client.EraseAsync(tenant, TestIds.Session());
        var foreign = await Client.EraseAsync(TestIds.Tenant(), session);
        var invalid = await Client.EraseAsync(tenant, "bad id!");

        Assert.All([unknown, foreign, invalid], e => Assert.Equal((false, 0), (e.Existed, e.MessagesDeleted)));
        Assert.Equal(2, (await Client.GetHistoryAsync(tenant, session)).History!.Messages.Count);
    }
}
