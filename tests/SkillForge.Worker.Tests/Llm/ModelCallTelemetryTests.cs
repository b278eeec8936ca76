using SkillForge.Agent.Hosting;
using SkillForge.Testing;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Tests.Observability;

namespace SkillForge.Worker.Tests.Llm;

/// <summary>
/// A turn through the worker with a language model configured (a loopback OpenAI-compatible server): the model call
/// is a gen_ai span inside the turn's agent span, and its token usage is measured, without what the user wrote.
/// Needs PostgreSQL and Redis, like every turn through the worker.
/// </summary>
public sealed class ModelCallTelemetryTests
{
    [Fact]
    public async Task Should_trace_the_model_call_of_a_turn_inside_its_agent_span_and_measure_its_tokens_without_its_text()
    {
        var model = $"test-model-{Guid.NewGuid():N}";
        var secret = $"secret-{Guid.NewGuid():N}";
        using var spans = new RecordedSpans(SkillForgeMetrics.ActivitySource.Name, AgentHostingExtensions.TelemetrySourceName);
        using var measured = new Measurements(AgentHostingExtensions.TelemetrySourceName);
        await using var server = await OpenAiCompatibleServer.StartAsync(OpenAiCompatibleServer.Answer(
            new { reply = "Noted. What should we call it?", next_state = "gathering_details" }, inputTokens: 321, outputTokens: 45));
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Agent:Llm:Endpoint"] = server.Endpoint,
            ["Agent:Llm:Model"] = model,
        }));
        var (tenant, turnId) = (TestIds.Tenant(), Guid.NewGuid());

        var result = await host.Client.SendTurnAsync(tenant, TestIds.Session(), $"I want a skill that reviews the {secret} migrations", turnId);

        Assert.True(result.IsReplied, result.Rejected?.Reason);
        await spans.EndedAsync(tenant, "chat turn");
        var agent = Assert.Single(spans.OfTenant(tenant), s => s.OperationName == "agent");
        var call = Assert.Single(spans, s => s.Source.Name == AgentHostingExtensions.TelemetrySourceName && Equals(s.GetTagItem("gen_ai.request.model"), model));
        Assert.Equal(agent.SpanId, call.ParentSpanId);
        Assert.Equal(turnId.ToString(), agent.GetTagItem(TurnSpans.TurnIdTag));
        Assert.Equal(321, call.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(45, call.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects.Concat(s.Events.SelectMany(e => e.Tags))),
            t => $"{t.Value}".Contains(secret, StringComparison.Ordinal));
        var usage = measured.Where(m => m.Instrument == "gen_ai.client.token.usage" && Equals(m.Tags.GetValueOrDefault("gen_ai.request.model"), model)).ToList();
        Assert.Equal(321, Assert.Single(usage, m => Equals(m.Tags["gen_ai.token.type"], "input")).Value);
        Assert.Equal(45, Assert.Single(usage, m => Equals(m.Tags["gen_ai.token.type"], "output")).Value);
    }
}
