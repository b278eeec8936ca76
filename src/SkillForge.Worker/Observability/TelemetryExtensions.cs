using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SkillForge.Worker.Observability;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics (our meter, MassTransit's) for the Prometheus scrape endpoint, and traces from MassTransit, Npgsql and
    /// our own spans. OTLP export switches on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the SDK's standard variable).
    /// </summary>
    public static IHostApplicationBuilder AddSkillForgeTelemetry(this IHostApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("skillforge-worker"))
            .WithMetrics(metrics => metrics
                .AddMeter(SkillForgeMetrics.MeterName)
                .AddMeter("MassTransit")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(SkillForgeMetrics.ActivitySource.Name)
                .AddSource("MassTransit")
                .AddNpgsql());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
        return builder;
    }
}
