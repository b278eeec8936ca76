using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Agent;
using SkillForge.Testing;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Tests.ChatTurns;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>Each turn outcome is counted on the SkillForge meter, with the store's latencies beside it.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Should_count_replied_replayed_and_rejected_turns_and_time_the_store()
    {
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync());
        using var recorded = new Measurements(host.Services.GetRequiredService<IMeterFactory>());
        var client = host.Client;
        var tenant = TestIds.Tenant();
        var turnId = Guid.NewGuid();

        await client.SendTurnAsync(tenant, "s", "I want a skill that formats SQL", turnId);
        await client.SendTurnAsync(tenant, "s", "I want a skill that formats SQL", turnId);
        await client.SendTurnAsync(tenant, "bad id!", "hello");

        var turns = recorded.Where(r => r.Instrument == "skillforge.turns").ToList();
        Assert.Contains(turns, t => Equals(t.Tags["outcome"], "replied"));
        Assert.Contains(turns, t => Equals(t.Tags["outcome"], "replayed"));
        Assert.Contains(turns, t => Equals(t.Tags["outcome"], "rejected") && Equals(t.Tags["code"], "invalid_request"));
        Assert.Contains(recorded, r => r.Instrument == "skillforge.store.append.duration" && r.Value > 0);
        Assert.Contains(recorded, r => r.Instrument == "skillforge.store.load.duration" && r.Value > 0);
        Assert.Contains(recorded, r => r.Instrument == "skillforge.session.context.size" && r.Value > 2);
        Assert.Contains(recorded, r => r.Instrument == "skillforge.sessions.transitions" && Equals(r.Tags["transition"], "created"));
        Assert.Contains(recorded, r => r.Instrument == "skillforge.turn.duration");
    }

    [Fact]
    public async Task Should_count_a_turn_that_fails_for_good_as_failed()
    {
        var agent = new FaultingAgent(new InvalidOperationException("a bug in the agent"), failures: int.MaxValue);
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton<ISkillAgent>(agent)));
        using var recorded = new Measurements(host.Services.GetRequiredService<IMeterFactory>());
        var client = host.Client;

        await Assert.ThrowsAsync<RequestFaultException>(() => client.SendTurnAsync(TestIds.Tenant(), "s", "I want a skill that formats SQL"));

        var turn = Assert.Single(recorded, r => r.Instrument == "skillforge.turns");
        Assert.Equal("failed", turn.Tags["outcome"]);
        Assert.Contains(recorded, r => r.Instrument == "skillforge.turn.duration" && Equals(r.Tags["outcome"], "failed"));
        Assert.DoesNotContain(recorded, r => r.Instrument == "skillforge.store.append.duration");
    }
}
