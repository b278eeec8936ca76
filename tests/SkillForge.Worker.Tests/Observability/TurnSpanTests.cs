using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillForge.Agent;
using SkillForge.Testing;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Tests.ChatTurns;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>
/// Our spans of a turn carry its tenant, session and turn ids and never its text; a step that throws, and a turn
/// answered with a rejection, are marked Error with what went wrong.
/// </summary>
public sealed class TurnSpanTests
{
    [Fact]
    public async Task Should_tag_the_turn_span_with_its_ids_and_mark_a_rejected_turn_as_an_error()
    {
        using var spans = new RecordedSpans(SkillForgeMetrics.ActivitySource.Name);
        await using var host = new AsyncHost(await WorkerTestHost.StartWithoutServersAsync(settings: new Dictionary<string, string?>
        {
            ["Sessions:MaxTextLength"] = "20",
        }));
        var (tenant, session, turnId) = (TestIds.Tenant(), TestIds.Session(), Guid.NewGuid());
        var secret = $"secret-{Guid.NewGuid():N}";

        var result = await host.Client.SendTurnAsync(tenant, session, $"a text longer than allowed, about {secret}", turnId);

        Assert.Equal("too_large", result.Rejected!.Code);
        var turn = await spans.EndedAsync(tenant, "chat turn");
        Assert.Equal(session, turn.GetTagItem(TurnSpans.SessionIdTag));
        Assert.Equal(turnId.ToString(), turn.GetTagItem(TurnSpans.TurnIdTag));
        Assert.Equal(ActivityStatusCode.Error, turn.Status);
        Assert.Equal("too_large", turn.GetTagItem("error.type"));
        var admission = Assert.Single(spans.OfTenant(tenant), s => s.OperationName == "turn admission");
        Assert.Equal(ActivityStatusCode.Unset, admission.Status);
        Assert.DoesNotContain(spans.OfTenant(tenant).SelectMany(s => s.TagObjects), t => $"{t.Value}".Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_mark_a_failed_store_load_and_the_turn_it_leaves_unavailable_as_errors()
    {
        using var spans = new RecordedSpans(SkillForgeMetrics.ActivitySource.Name);
        await using var host = new AsyncHost(await WorkerTestHost.StartWithoutServersAsync(settings: new Dictionary<string, string?>
        {
            ["Worker:UnavailableAfter"] = "00:00:00",
        }));
        var (tenant, session, turnId) = (TestIds.Tenant(), TestIds.Session(), Guid.NewGuid());

        var result = await host.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL", turnId);

        Assert.Equal("unavailable", result.Rejected!.Code);
        var turn = await spans.EndedAsync(tenant, "chat turn");
        Assert.Equal(ActivityStatusCode.Error, turn.Status);
        Assert.Equal("unavailable", turn.GetTagItem("error.type"));
        var load = Assert.Single(spans.OfTenant(tenant), s => s.OperationName == "store load");
        Assert.Equal(turn.SpanId, load.ParentSpanId);
        Assert.Equal(session, load.GetTagItem(TurnSpans.SessionIdTag));
        Assert.Equal(turnId.ToString(), load.GetTagItem(TurnSpans.TurnIdTag));
        Assert.Equal(ActivityStatusCode.Error, load.Status);
        Assert.Equal(typeof(NpgsqlException).FullName, load.GetTagItem("error.type"));
        // Redis was out of reach too, but the cache steps aside rather than failing the turn.
        Assert.Equal(ActivityStatusCode.Unset, Assert.Single(spans.OfTenant(tenant), s => s.OperationName == "cache load").Status);
    }

    /// <summary>Needs PostgreSQL and Redis: the agent runs only on a loaded session.</summary>
    [Fact]
    public async Task Should_mark_the_agent_span_and_the_turn_span_failed_with_the_exception_type_when_the_agent_throws()
    {
        using var spans = new RecordedSpans(SkillForgeMetrics.ActivitySource.Name);
        var agent = new FaultingAgent(new InvalidOperationException("a bug in the agent"), failures: int.MaxValue);
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton<ISkillAgent>(agent)));
        var (tenant, session, turnId) = (TestIds.Tenant(), TestIds.Session(), Guid.NewGuid());

        await Assert.ThrowsAsync<RequestFaultException>(() => host.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL", turnId));

        await Eventually.HoldsAsync(() => Task.FromResult(spans.OfTenant(tenant).Count(s => s.OperationName == "chat turn") == agent.Calls),
            what: "a turn span ended for each attempt");
        var attempts = spans.OfTenant(tenant).Where(s => s.OperationName is "chat turn" or "agent").ToList();
        Assert.Equal(2 * agent.Calls, attempts.Count);
        Assert.All(attempts, span =>
        {
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
            Assert.Equal(session, span.GetTagItem(TurnSpans.SessionIdTag));
            Assert.Equal(turnId.ToString(), span.GetTagItem(TurnSpans.TurnIdTag));
        });
    }
}
