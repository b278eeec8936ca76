using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SkillForge.Worker.Hosting;

/// <summary>
/// The bus as readiness sees it: anything short of Healthy fails. MassTransit's own check says Degraded when the
/// broker connection is gone and its endpoints wait to reconnect, and Degraded answers 200, which would keep a
/// worker that cannot move a single message in rotation.
/// </summary>
internal sealed class BrokerHealthCheck(IBusControl bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = bus.CheckHealth();
        return Task.FromResult(health.Status == BusHealthStatus.Healthy
            ? HealthCheckResult.Healthy(health.Description)
            : new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ: {health.Description}", health.Exception));
    }
}
