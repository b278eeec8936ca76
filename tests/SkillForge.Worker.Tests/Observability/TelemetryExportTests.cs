using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkillForge.Agent;
using SkillForge.Agent.Context;
using SkillForge.Agent.Hosting;
using SkillForge.Sessions.Hosting;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Tests.Llm;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>
/// What <c>AddSkillForgeTelemetry</c> exports besides our own meter: the model calls' gen_ai spans and histograms, and
/// Npgsql's metrics. Needs no server: the model is a loopback HTTP server, and Npgsql reports a data source's pool
/// before it ever connects.
/// </summary>
public sealed class TelemetryExportTests
{
    [Theory]
    [InlineData(null, null, false)] // nothing would take the spans: none are made
    [InlineData("http://127.0.0.1:1", null, true)]
    [InlineData(null, "true", true)]
    [InlineData("http://127.0.0.1:1", "false", false)]
    public void Should_trace_only_when_something_takes_the_spans(string? otlpEndpoint, string? tracing, bool traced)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint,
            [TelemetryExtensions.TracingKey] = tracing,
        });
        builder.AddSkillForgeTelemetry();
        using var host = builder.Build();

        Assert.Equal(traced, host.Services.GetService<OpenTelemetry.Trace.TracerProvider>() is not null);
    }

    [Fact]
    public async Task Should_export_a_gen_ai_span_and_the_token_usage_of_a_model_call_without_its_messages()
    {
        var model = $"test-model-{Guid.NewGuid():N}";
        var secret = $"secret-{Guid.NewGuid():N}";
        await using var server = await OpenAiCompatibleServer.StartAsync(OpenAiCompatibleServer.Answer(
            new { reply = $"Noted, {secret}. What should we call it?", next_state = "gathering_details" }, inputTokens: 321, outputTokens: 45));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agent:Llm:Endpoint"] = server.Endpoint,
            ["Agent:Llm:Model"] = model,
            [TelemetryExtensions.TracingKey] = "true",
        });
        builder.AddSkillAgent();
        builder.AddSkillForgeTelemetry();
        var exported = ExportedTelemetry.AddTo(builder.Services);
        using var host = builder.Build();
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<ISkillAgent>().RespondAsync(
            new AgentTurnInput($"I want a skill that reviews the {secret} migrations", SkillContext.New(), [], []), default);

        Assert.Contains(secret, result.Reply, StringComparison.Ordinal); // the model's answer was used
        var call = Assert.Single(exported.Spans, s => s.Source.Name == AgentHostingExtensions.TelemetrySourceName && Equals(s.GetTagItem("gen_ai.request.model"), model));
        Assert.Equal($"chat {model}", call.DisplayName);
        Assert.Equal("chat", call.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(321, call.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(45, call.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.DoesNotContain(call.TagObjects, t => t.Key is "gen_ai.input.messages" or "gen_ai.output.messages" or "gen_ai.system_instructions");
        Assert.DoesNotContain(call.TagObjects.Concat(call.Events.SelectMany(e => e.Tags)), t => $"{t.Value}".Contains(secret, StringComparison.Ordinal));
        var points = exported.CollectMetrics(host.Services).Where(p => Equals(p.Tag("gen_ai.request.model"), model)).ToList();
        Assert.Equal(321, Assert.Single(points, p => p.Metric == "gen_ai.client.token.usage" && Equals(p.Tag("gen_ai.token.type"), "input")).Value);
        Assert.Equal(45, Assert.Single(points, p => p.Metric == "gen_ai.client.token.usage" && Equals(p.Tag("gen_ai.token.type"), "output")).Value);
        Assert.Equal(1, Assert.Single(points, p => p.Metric == "gen_ai.client.operation.duration").Count);
        await host.StopAsync();
    }

    [Fact]
    public async Task Should_export_npgsql_metrics_of_the_session_data_sources_under_their_application_name()
    {
        var applicationName = $"skillforge-telemetry-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(WorkerTestHost.NoServers);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"{WorkerTestHost.NoServers["ConnectionStrings:Postgres"]};Application Name={applicationName};Maximum Pool Size=7",
        });
        builder.AddSessionStorage();
        builder.AddSkillForgeTelemetry();
        var exported = ExportedTelemetry.AddTo(builder.Services);
        using var host = builder.Build();

        _ = host.Services.GetRequiredService<SessionDatabase>(); // builds the data source; nothing connects

        var pool = Assert.Single(exported.CollectMetrics(host.Services),
            p => p.Metric == "db.client.connection.max" && Equals(p.Tag("db.client.connection.pool.name"), applicationName));
        Assert.Equal(7, pool.Value);
    }
}
