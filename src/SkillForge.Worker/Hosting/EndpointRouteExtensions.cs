using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace SkillForge.Worker.Hosting;

public static class EndpointRouteExtensions
{
    /// <summary>
    /// <c>/health/live</c> (the process answers, and its bus has not been stuck for <c>Worker:BusStuckAfter</c>),
    /// <c>/health/ready</c> (bus, PostgreSQL, Redis), <c>/health/bus</c> (MassTransit's own view of its endpoints) and
    /// <c>/metrics</c> (Prometheus). The health answers are JSON with each check's status (<see cref="HealthReportJson"/>).
    /// </summary>
    public static WebApplication MapSkillForgeEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", Checks("live"));
        app.MapHealthChecks("/health/ready", Checks("ready"));
        app.MapHealthChecks("/health/bus", Checks("masstransit"));
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static HealthCheckOptions Checks(string tag) =>
        new() { Predicate = r => r.Tags.Contains(tag), ResponseWriter = HealthReportJson.WriteAsync };
}
