using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace SkillForge.Worker.Hosting;

public static class EndpointRouteExtensions
{
    /// <summary>
    /// <c>/health/live</c> (the process answers, and its bus has not been stuck for <c>Worker:BusStuckAfter</c>),
    /// <c>/health/ready</c> (bus, PostgreSQL, Redis) and <c>/metrics</c> (Prometheus).
    /// </summary>
    public static WebApplication MapSkillForgeEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains("ready") });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
