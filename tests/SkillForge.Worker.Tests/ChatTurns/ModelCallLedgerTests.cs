using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SkillForge.Agent.Llm;
using SkillForge.Worker.ChatTurns;

namespace SkillForge.Worker.Tests.ChatTurns;

public sealed class ModelCallLedgerTests
{
    [Fact]
    public void Should_allow_each_turn_its_calls_and_no_more()
    {
        var ledger = new ModelCallLedger(Options.Create(new AgentLlmOptions { MaxCallsPerTurn = 2 }), new FakeTimeProvider());
        var (turn, other) = (Guid.NewGuid(), Guid.NewGuid());

        Assert.Equal([true, true, false, false], Enumerable.Range(0, 4).Select(_ => ledger.TryTake(turn)));
        Assert.True(ledger.TryTake(other));
    }

    [Fact]
    public void Should_forget_a_turn_ten_minutes_on_pruning_at_most_once_a_minute()
    {
        var clock = new FakeTimeProvider();
        var ledger = new ModelCallLedger(Options.Create(new AgentLlmOptions { MaxCallsPerTurn = 1 }), clock);
        var turn = Guid.NewGuid();
        Assert.True(ledger.TryTake(turn));

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(ledger.TryTake(turn)); // still remembered
        clock.Advance(TimeSpan.FromMinutes(2));

        Assert.True(ledger.TryTake(turn)); // forgotten: a delivery this late counts afresh
    }
}
