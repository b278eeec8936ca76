using SkillForge.Testing;

namespace SkillForge.Worker.Tests.History;

public sealed class GetSessionHistoryConsumerTests : HarnessTests
{
    [Fact]
    public async Task Should_page_history_oldest_first_with_has_more()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        foreach (var text in new[] { "I want a skill that formats SQL", "Name it sql-formatter", "Description: formats SQL" })
        {
            await Client.SendTurnAsync(tenant, session, text);
        }

        var newest = (await Client.GetHistoryAsync(tenant, session, limit: 4)).History!;
        var older = (await Client.GetHistoryAsync(tenant, session, limit: 4, beforeSeq: newest.Messages[0].Seq)).History!;

        Assert.Equal([3L, 4, 5, 6], newest.Messages.Select(m => m.Seq));
        Assert.True(newest.HasMore);
        Assert.Equal([1L, 2], older.Messages.Select(m => m.Seq));
        Assert.False(older.HasMore);
        Assert.Equal("I want a skill that formats SQL", older.Messages[0].Content);
        Assert.Equal((3L, "active"), (newest.Version, newest.Status));
        Assert.True(newest.UpdatedAt >= newest.CreatedAt);
    }

    [Fact]
    public async Task Should_clamp_a_limit_outside_the_rules()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");

        var defaulted = (await Client.GetHistoryAsync(tenant, session, limit: 0)).History!;
        var capped = (await Client.GetHistoryAsync(tenant, session, limit: 50_000)).History!;

        Assert.Equal(2, defaulted.Messages.Count);
        Assert.Equal(2, capped.Messages.Count);
    }

    [Fact]
    public async Task Should_not_find_an_unknown_session_another_tenants_session_or_a_bad_id()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");

        Assert.False((await Client.GetHistoryAsync(tenant, TestIds.Session())).Found);
        Assert.False((await Client.GetHistoryAsync(TestIds.Tenant(), session)).Found);
        Assert.False((await Client.GetHistoryAsync(tenant, "bad id!")).Found);
    }
}
