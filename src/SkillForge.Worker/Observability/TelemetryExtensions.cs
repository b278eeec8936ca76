using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SkillForge.Agent.Hosting;

namespace SkillForge.Worker.Observability;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics for the Prometheus scrape endpoint and traces: ours (<c>SkillForge</c>), MassTransit's, Npgsql's
    /// (<c>db.client.*</c> and its command spans) and the model calls' (<c>SkillForge.Llm</c>: <c>gen_ai.*</c> spans and
    /// histograms). OTLP export switches on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the SDK's standard variable).
    /// </summary>
    public static IHostApplicationBuilder AddSkillForgeTelemetry(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("skillforge-worker"))
            .WithMetrics(metrics => metrics
                .AddMeter(SkillForgeMetrics.MeterName)
                .AddMeter("MassTransit")
                .AddNpgsqlInstrumentation()
                .AddMeter(AgentHostingExtensions.TelemetrySourceName)
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(SkillForgeMetrics.ActivitySource.Name)
                .AddSource("MassTransit")
                .AddNpgsql()
                .AddSource(AgentHostingExtensions.TelemetrySourceName));
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }
}
