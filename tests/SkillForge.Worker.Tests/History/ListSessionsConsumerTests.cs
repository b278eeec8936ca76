using SkillForge.Testing;

namespace SkillForge.Worker.Tests.History;

/// <summary>The operators' listing over the bus: pages, a status filter, and bad requests answered, not faulted.</summary>
public sealed class ListSessionsConsumerTests : HarnessTests
{
    [Fact]
    public async Task Should_list_a_tenants_sessions_in_pages_and_by_status()
    {
        var tenant = TestIds.Tenant();
        foreach (var session in new[] { "a", "b", "c" })
        {
            await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");
        }
        await Client.SendTurnAsync(TestIds.Tenant(), "a", "another tenant's session of the same id");

        var first = (await Client.ListSessionsAsync(tenant, limit: 2)).List!;
        var second = (await Client.ListSessionsAsync(tenant, afterSessionId: first.NextAfter, limit: 2)).List!;
        var active = (await Client.ListSessionsAsync(tenant, status: "active")).List!;
        var completed = (await Client.ListSessionsAsync(tenant, status: "completed")).List!;

        Assert.Equal(["a", "b"], first.Sessions.Select(s => s.SessionId));
        Assert.Equal("b", first.NextAfter);
        Assert.Equal(["c"], second.Sessions.Select(s => s.SessionId));
        Assert.Null(second.NextAfter);
        Assert.Equal(3, active.Sessions.Count);
        Assert.All(active.Sessions, s => Assert.Equal((1L, 2, "active"), (s.Version, s.MessageCount, s.Status)));
        Assert.Empty(completed.Sessions);
    }

    [Theory]
    [InlineData("bad tenant!", null, 50, "TenantId")]
    [InlineData("t", "sleeping", 50, "sleeping")]
    [InlineData("t", null, 0, "Limit")]
    [InlineData("t", null, 1001, "Limit")]
    public async Task Should_answer_a_bad_request_with_what_is_wrong(string tenant, string? status, int limit, string mentioned)
    {
        var (list, rejected) = await Client.ListSessionsAsync(tenant, status, limit: limit);

        Assert.Null(list);
        Assert.Equal("invalid_request", rejected!.Code);
        Assert.Contains(mentioned, rejected.Reason);
    }
}
