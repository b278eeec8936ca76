using Dapper;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.ChatTurns;

/// <summary>
/// A new conversation is offered a tenant's finished skill that matches it: an organization or project skill to
/// anyone, a personal one only to the user who made it, and one whose layer was never recorded to no one.
/// </summary>
public sealed class ExistingSkillOfferTests : HarnessTests
{
    private const string Request = "I want a skill that formats SQL queries for code review";

    [Theory]
    [InlineData("personal", "alice", "alice", true)]
    [InlineData("personal", "alice", "bob", false)]
    [InlineData("personal", "alice", null, false)]
    [InlineData("organization", "alice", "bob", true)]
    [InlineData("project", null, "bob", true)]
    [InlineData(null, "alice", "alice", false)]
    public async Task Should_offer_a_matching_skill_only_to_those_who_may_use_it(string? layer, string? owner, string? asker, bool offered)
    {
        var tenant = TestIds.Tenant();
        await using (var db = await SharedDatabase.Superuser.OpenConnectionAsync())
        {
            await db.ExecuteAsync("""
                INSERT INTO sessions (tenant_id, session_id, state, status, skill_name, skill_description, skill_layer, user_id, context,
                                      version, message_count, created_at, updated_at, last_activity_at, completed_at)
                VALUES (@tenant, 'done', 'completed', 'completed', 'sql-formatter', 'Formats SQL queries for code review', @layer, @owner,
                        '{}', 8, 16, now(), now(), now(), now());
                """, new { tenant, layer, owner });
        }

        var result = await Client.SendTurnAsync(tenant, TestIds.Session(), Request, userId: asker);

        Assert.Equal(offered, result.Replied!.State == "checking_existing");
        Assert.Equal(offered, result.Replied.Reply.Contains("sql-formatter", StringComparison.Ordinal));
    }
}
