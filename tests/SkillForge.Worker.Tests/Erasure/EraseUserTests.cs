using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Worker.Erasure;

namespace SkillForge.Worker.Tests.Erasure;

/// <summary>A user's erasure end to end through the client, and how a legal hold refuses it (and a session's).</summary>
public sealed class EraseUserTests : HarnessTests
{
    private SkillForgeOperatorClient Operator => Host.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();

    [Fact]
    public async Task Should_erase_every_session_of_the_user_in_the_tenant_and_nothing_else()
    {
        var tenant = TestIds.Tenant();
        var mine = new[] { TestIds.Session(), TestIds.Session(), TestIds.Session() };
        foreach (var session in mine)
        {
            await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL", userId: "user@example.com");
        }
        var someoneElses = TestIds.Session();
        await Client.SendTurnAsync(tenant, someoneElses, "I want a skill that formats SQL", userId: "other@example.com");
        var otherTenant = TestIds.Tenant();
        await Client.SendTurnAsync(otherTenant, mine[0], "the same user id in another tenant", userId: "user@example.com");

        var answer = await Client.EraseUserAsync(tenant, "user@example.com", "account deleted");

        Assert.Null(answer.Refused);
        Assert.Equal((3, 6L), (answer.Erased!.SessionsErased, answer.Erased.MessagesDeleted));
        foreach (var session in mine)
        {
            Assert.False((await Client.GetHistoryAsync(tenant, session)).Found);
            Assert.False(await TestRedis.HoldsSessionAsync(new SessionKey(tenant, session)));
        }
        Assert.True((await Client.GetHistoryAsync(tenant, someoneElses)).Found);
        Assert.True((await Client.GetHistoryAsync(otherTenant, mine[0])).Found);
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>(
            "SELECT count(DISTINCT session_id) FROM session_audit WHERE tenant_id = @tenant AND event = 'erased' AND to_value = 'account_deleted'", new { tenant }));
    }

    [Fact]
    public async Task Should_answer_a_request_delivered_again_with_what_it_erased()
    {
        var tenant = TestIds.Tenant();
        await Client.SendTurnAsync(tenant, TestIds.Session(), "I want a skill that formats SQL", userId: "u-1");
        await Client.SendTurnAsync(tenant, TestIds.Session(), "I want a skill that formats SQL", userId: "u-1");
        var eraser = Host.Services.GetRequiredService<SessionEraser>();
        var request = Guid.NewGuid();

        var first = await eraser.EraseUserAsync(tenant, "u-1", "user request", request, default);
        var again = await eraser.EraseUserAsync(tenant, "u-1", "user request", request, default);
        var another = await eraser.EraseUserAsync(tenant, "u-1", "user request", Guid.NewGuid(), default);

        Assert.Equal((2, 4L), (first!.Value.SessionsErased, first.Value.MessagesDeleted));
        Assert.Equal((2, 4L), (again!.Value.SessionsErased, again.Value.MessagesDeleted));
        Assert.Equal((0, 0L), (another!.Value.SessionsErased, another.Value.MessagesDeleted));
    }

    [Fact]
    public async Task Should_refuse_a_users_erasure_while_one_of_their_sessions_is_held_and_erase_it_once_released()
    {
        var tenant = TestIds.Tenant();
        var (held, free) = (TestIds.Session(), TestIds.Session());
        await Client.SendTurnAsync(tenant, held, "I want a skill that formats SQL", userId: "u-1");
        await Client.SendTurnAsync(tenant, free, "I want a skill that formats SQL", userId: "u-1");
        var (placed, _) = await Operator.PlaceHoldAsync(new PlaceLegalHold(tenant, held, null, "case 42", "alice"));

        var refused = await Client.EraseUserAsync(tenant, "u-1");
        var refusedSession = await Client.EraseAsync(tenant, held);
        var turn = await Client.SendTurnAsync(tenant, held, "a held session still takes turns", userId: "u-1");

        Assert.True(placed!.PlacedNow);
        Assert.Equal((ErasureRefused.LegalHold, "u-1", (string?)null), (refused.Refused!.Code, refused.Refused.UserId, refused.Refused.SessionId));
        Assert.Equal((ErasureRefused.LegalHold, held), (refusedSession.Refused!.Code, refusedSession.Refused.SessionId));
        Assert.True((await Client.GetHistoryAsync(tenant, free)).Found); // nothing of the user was erased
        Assert.Equal(2, turn.Replied!.Version);

        await Operator.ReleaseHoldAsync(new ReleaseLegalHold(tenant, held, null, "bob"));
        var erased = await Client.EraseUserAsync(tenant, "u-1");

        Assert.Equal((2, 6L), (erased.Erased!.SessionsErased, erased.Erased.MessagesDeleted));
    }

    [Fact]
    public async Task Should_leave_each_session_erased_or_fresh_never_half_when_turns_arrive_during_the_erasure()
    {
        var tenant = TestIds.Tenant();
        var sessions = Enumerable.Range(0, 20).Select(_ => TestIds.Session()).ToList();
        foreach (var session in sessions)
        {
            await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL", userId: "u-1");
        }

        var erasure = Client.EraseUserAsync(tenant, "u-1");
        var turns = await Task.WhenAll(sessions.Select(session => Client.SendTurnAsync(tenant, session, $"late turn for {session}", userId: "u-1")));
        await erasure;

        for (var i = 0; i < sessions.Count; i++)
        {
            var history = (await Client.GetHistoryAsync(tenant, sessions[i])).History;
            if (history is not null)
            {
                // Only a turn that came after the session's erasure may have left anything: a fresh session of that turn alone.
                Assert.Equal((1L, 2), (history.Version, history.Messages.Count));
                Assert.Equal($"late turn for {sessions[i]}", history.Messages[0].Content);
                Assert.Equal(1, turns[i].Replied!.Version);
            }
            else
            {
                Assert.True(turns[i].Rejected?.Code == "session_erased" || turns[i].Replied?.Version == 2,
                    $"{sessions[i]}: {turns[i].Rejected?.Code ?? $"v{turns[i].Replied?.Version}"} yet nothing is left");
            }
        }
    }

    [Fact]
    public async Task Should_answer_a_user_with_no_sessions_or_a_bad_id_with_nothing_erased()
    {
        var none = await Client.EraseUserAsync(TestIds.Tenant(), "nobody");
        var bad = await Client.EraseUserAsync(TestIds.Tenant(), "bad\u0000id");

        Assert.Equal((0, 0L), (none.Erased!.SessionsErased, none.Erased.MessagesDeleted));
        Assert.Equal((0, 0L), (bad.Erased!.SessionsErased, bad.Erased.MessagesDeleted));
    }
}
