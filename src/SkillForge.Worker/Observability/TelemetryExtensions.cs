using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
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
    /// <para>
    /// Tracing is registered only when something takes the spans (<see cref="TracingKey"/>, on by default exactly when
    /// an OTLP endpoint is set): while the SDK listens, MassTransit, Npgsql and we build every span of every turn, and
    /// without an exporter they would be thrown away at the end.
    /// </para>
    /// </summary>
    public static IHostApplicationBuilder AddSkillForgeTelemetry(this IHostApplicationBuilder builder)
    {
        var exporting = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("skillforge-worker"))
            .WithMetrics(metrics => metrics
                .AddMeter(SkillForgeMetrics.MeterName)
                .AddMeter("MassTransit")
                .AddNpgsqlInstrumentation()
                .AddMeter(AgentHostingExtensions.TelemetrySourceName)
                .AddPrometheusExporter());
        var tracing = builder.Configuration.GetValue(TracingKey, exporting);
        if (tracing)
        {
            telemetry.WithTracing(spans => spans
                .AddSource(SkillForgeMetrics.ActivitySource.Name)
                .AddSource("MassTransit")
                .AddNpgsql()
                .AddSource(AgentHostingExtensions.TelemetrySourceName));
        }
        if (exporting && tracing)
        {
            telemetry.UseOtlpExporter(); // every signal
        }
        else if (exporting)
        {
            // UseOtlpExporter would switch tracing back on.
            telemetry.WithMetrics(metrics => metrics.AddOtlpExporter()).WithLogging(logging => logging.AddOtlpExporter());
        }
        return builder;
    }

    /// <summary>Whether spans are recorded: true or false; unset, only when OTLP export is on.</summary>
    public const string TracingKey = "Telemetry:Tracing";
}
