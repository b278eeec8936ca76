using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Contracts;
using SkillForge.Testing;
using SkillForge.Worker.ChatTurns;

namespace SkillForge.Worker.Tests.ChatTurns;

/// <summary>The consumer over MassTransit's in-memory harness, with the real PostgreSQL and Redis behind it.</summary>
public sealed class ChatTurnConsumerTests : HarnessTests
{
    private ITestHarness Harness => Host.Services.GetRequiredService<ITestHarness>();

    [Fact]
    public async Task Should_answer_a_turn_with_chat_turn_replied()
    {
        var result = await Client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL");

        Assert.True(result.IsReplied);
        Assert.Equal(1, result.Replied!.Version);
        Assert.True(await Harness.GetConsumerHarness<ProcessChatTurnConsumer>().Consumed.Any<ProcessChatTurn>());
    }

    [Fact]
    public async Task Should_answer_invalid_input_without_a_fault_or_retry()
    {
        var result = await Client.SendTurnAsync(TestIds.Tenant(), "not valid!", "hello");

        Assert.Equal("invalid_request", result.Rejected!.Code);
        var consumed = Harness.GetConsumerHarness<ProcessChatTurnConsumer>().Consumed.Select<ProcessChatTurn>().ToList();
        Assert.Single(consumed);
        Assert.Null(consumed[0].Exception);
        Assert.False(await Harness.Published.Any<Fault<ProcessChatTurn>>());
    }

    [Fact]
    public async Task Should_apply_concurrent_turns_of_one_session_one_at_a_time()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Client.SendTurnAsync(tenant, session, $"detail number {i}")));

        Assert.All(results, r => Assert.True(r.IsReplied));
        Assert.Equal(Enumerable.Range(2, 8).Select(v => (long)v), results.Select(r => r.Replied!.Version).Order());
        var history = await Client.GetHistoryAsync(tenant, session, 1000);
        Assert.Equal(Enumerable.Range(1, 18).Select(s => (long)s), history.History!.Messages.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(0, 18).Select(i => i % 2 == 0 ? "user" : "assistant"), history.History.Messages.Select(m => m.Role));
    }
}
