using SkillForge.Testing;

namespace SkillForge.Worker.Tests.History;

/// <summary>An export hands over everything held about a session besides its messages: row, context and its life's changes.</summary>
public sealed class ExportSessionConsumerTests : HarnessTests
{
    [Fact]
    public async Task Should_export_the_session_row_its_context_and_its_changes()
    {
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());
        Assert.True((await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL queries", userId: "alice")).IsReplied);
        var second = await Client.SendTurnAsync(tenant, session, "Name it sql-formatter", userId: "alice");

        var export = await Client.ExportSessionAsync(tenant, session);

        Assert.NotNull(export);
        Assert.Equal((tenant, session, "alice", "active", 4), (export.TenantId, export.SessionId, export.UserId, export.Status, export.MessageCount));
        Assert.Equal(second.Replied!.State, export.State);
        Assert.Contains("\"skill_name\"", export.Context, StringComparison.Ordinal);
        Assert.Null(export.CompletedAt);
        Assert.Equal("created", export.Events[0].Kind);
        Assert.All(export.Events, e => Assert.Contains(e.Kind, new[] { "created", "state_changed", "status_changed" }));
        Assert.Equal(export.Events.OrderBy(e => e.At).Select(e => e.At), export.Events.Select(e => e.At));
        Assert.True(export.LastActivityAt >= export.CreatedAt);
    }

    [Theory]
    [InlineData("no-such-session")]
    [InlineData("bad id!")]
    public async Task Should_answer_not_found_for_a_session_that_does_not_exist(string session)
    {
        Assert.Null(await Client.ExportSessionAsync(TestIds.Tenant(), session));
    }
}
