using Dapper;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.History;

/// <summary>A user's sessions within one tenant, latest activity first, paged by an opaque keyset cursor.</summary>
public sealed class ListUserSessionsConsumerTests : HarnessTests
{
    [Fact]
    public async Task Should_page_a_users_sessions_latest_first_without_repeats_while_they_change()
    {
        var (tenant, otherTenant) = (TestIds.Tenant(), TestIds.Tenant());
        var sessions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(TestIds.Session());
            Assert.True((await Client.SendTurnAsync(tenant, sessions[^1], "I want a skill that formats SQL", userId: "alice")).IsReplied);
        }
        Assert.True((await Client.SendTurnAsync(tenant, TestIds.Session(), "I want a skill that formats SQL", userId: "bob")).IsReplied);
        Assert.True((await Client.SendTurnAsync(otherTenant, TestIds.Session(), "I want a skill that formats SQL", userId: "alice")).IsReplied);

        var first = await Client.ListUserSessionsAsync(tenant, "alice", limit: 2);
        // The newest page's first session has a new turn: it moves to the front, and the next page does not repeat it.
        Assert.True((await Client.SendTurnAsync(tenant, sessions[2], "Name it sql-formatter", userId: "alice")).IsReplied);
        var second = await Client.ListUserSessionsAsync(tenant, "alice", cursor: first.NextCursor, limit: 2);

        Assert.Equal([sessions[2], sessions[1]], first.Sessions.Select(s => s.SessionId));
        Assert.NotNull(first.NextCursor);
        Assert.Equal([sessions[0]], second.Sessions.Select(s => s.SessionId));
        Assert.Null(second.NextCursor);
        Assert.All(first.Sessions, s => Assert.Equal(("active", 2), (s.Status, s.MessageCount)));
        Assert.Single((await Client.ListUserSessionsAsync(tenant, "bob")).Sessions);
        Assert.Single((await Client.ListUserSessionsAsync(otherTenant, "alice")).Sessions);
    }

    [Fact]
    public async Task Should_filter_by_status()
    {
        var tenant = TestIds.Tenant();
        var (kept, closed) = (TestIds.Session(), TestIds.Session());
        Assert.True((await Client.SendTurnAsync(tenant, kept, "I want a skill that formats SQL", userId: "alice")).IsReplied);
        Assert.True((await Client.SendTurnAsync(tenant, closed, "I want a skill that formats SQL", userId: "alice")).IsReplied);
        await using (var db = await SharedDatabase.Superuser.OpenConnectionAsync())
        {
            await db.ExecuteAsync("UPDATE sessions SET status = 'abandoned', abandoned_at = now() WHERE tenant_id = @tenant AND session_id = @closed",
                new { tenant, closed });
        }

        var abandoned = await Client.ListUserSessionsAsync(tenant, "alice", status: "abandoned");
        var active = await Client.ListUserSessionsAsync(tenant, "alice", status: "active");

        Assert.Equal([closed], abandoned.Sessions.Select(s => s.SessionId));
        Assert.Equal([kept], active.Sessions.Select(s => s.SessionId));
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("MXwxfGJhZCBpZCE")] // "1|1|bad id!": the right shape, an id that cannot exist
    public async Task Should_answer_an_empty_list_for_a_cursor_it_did_not_issue(string cursor)
    {
        var tenant = TestIds.Tenant();
        Assert.True((await Client.SendTurnAsync(tenant, TestIds.Session(), "I want a skill that formats SQL", userId: "alice")).IsReplied);

        var listed = await Client.ListUserSessionsAsync(tenant, "alice", cursor: cursor);

        Assert.Empty(listed.Sessions);
        Assert.Null(listed.NextCursor);
    }
}
