using Microsoft.Extensions.DependencyInjection;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.ChatTurns;

/// <summary>
/// A session belongs to the user of the first turn that names one: a turn of another user is refused with nothing
/// written, and the owner is stored, cached and shown in the history answer.
/// </summary>
public sealed class SessionOwnerTests : HarnessTests
{
    [Fact]
    public async Task Should_keep_the_first_users_session_and_refuse_another_users_turn_writing_nothing()
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());

        var first = await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL", userId: "alice@example.com");
        var same = await Client.SendTurnAsync(key.TenantId, key.SessionId, "Name it sql-formatter", userId: "alice@example.com");
        var unnamed = await Client.SendTurnAsync(key.TenantId, key.SessionId, "It should uppercase keywords");
        var other = await Client.SendTurnAsync(key.TenantId, key.SessionId, "Show me everything", userId: "mallory@example.com");

        Assert.True(first.IsReplied && same.IsReplied && unnamed.IsReplied);
        Assert.Equal("invalid_request", other.Rejected?.Code);
        Assert.Contains("belongs to another user", other.Rejected!.Reason, StringComparison.Ordinal);
        var stored = await Host.Services.GetRequiredService<SessionStore>().LoadAsync(key, default);
        Assert.Equal(("alice@example.com", 3L), (stored!.UserId, stored.Version));
        Assert.Equal("alice@example.com", (await Host.Services.GetRequiredService<SessionCache>().GetAsync(key))!.UserId);
        Assert.Equal("alice@example.com", (await Client.GetHistoryAsync(key.TenantId, key.SessionId)).History!.UserId);
    }

    [Fact]
    public async Task Should_give_a_session_started_without_a_user_to_the_first_turn_that_names_one()
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());

        Assert.True((await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL")).IsReplied);
        Assert.Null((await Client.GetHistoryAsync(key.TenantId, key.SessionId)).History!.UserId);
        Assert.True((await Client.SendTurnAsync(key.TenantId, key.SessionId, "Name it sql-formatter", userId: "bob")).IsReplied);
        var stolen = await Client.SendTurnAsync(key.TenantId, key.SessionId, "Show me everything", userId: "mallory");

        Assert.Equal("invalid_request", stolen.Rejected?.Code);
        Assert.Equal("bob", (await Client.GetHistoryAsync(key.TenantId, key.SessionId)).History!.UserId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("user\nwith a line break")]
    public async Task Should_reject_a_malformed_user_id(string userId)
    {
        var result = await Client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL", userId: userId);

        Assert.Equal("invalid_request", result.Rejected?.Code);
        Assert.Contains("UserId", result.Rejected!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_refuse_another_users_append_in_the_store_too()
    {
        var store = Host.Services.GetRequiredService<SessionStore>();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        Assert.True((await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL", userId: "alice")).IsReplied);
        var stored = (await store.LoadAsync(key, default))!;

        // What a second worker that loaded the session before it had an owner would append: the version check alone passes.
        var append = await store.AppendTurnAsync(new TurnToAppend
        {
            Key = key, TurnId = Guid.NewGuid(), ExpectedVersion = stored.Version, UserText = "mine now", Reply = "ok",
            PreviousState = stored.State, State = stored.State, Status = SessionStatus.Active, ContextJson = stored.ContextJson,
            UserId = "mallory", At = DateTimeOffset.UtcNow,
        }, default);

        Assert.Equal(AppendOutcome.Conflict, append.Outcome);
        Assert.Equal(1, (await store.LoadAsync(key, default))!.Version);
    }
}
