using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SkillForge.Worker.Hosting;

/// <summary>
/// Liveness (<c>/health/live</c>): fails once the bus has gone <see cref="WorkerOptions.BusStuckAfter"/> without
/// being Healthy, so that the orchestrator restarts a worker that cannot recover on its own: a receive endpoint can
/// hang for good after a cut connection, leaving the worker connected with no consumer on its queues
/// (rabbitmq/rabbitmq-dotnet-client#1930, #1993). Readiness fails at once; liveness waits longer than a broker restart
/// takes, so a long outage only restarts workers that could do nothing meanwhile (unacknowledged turns go back to
/// their queue). A singleton: it remembers since when the bus has not been Healthy, from one probe to the next.
/// </summary>
internal sealed class BusLivenessCheck : IHealthCheck
{
    private readonly Func<BusHealthResult> _busHealth;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _stuckAfter;
    private readonly Lock _gate = new();
    private DateTimeOffset? _notHealthySince;

    public BusLivenessCheck(IBusControl bus, TimeProvider clock, IOptions<WorkerOptions> options)
        : this(bus.CheckHealth, clock, options.Value.BusStuckAfter)
    {
    }

    internal BusLivenessCheck(Func<BusHealthResult> busHealth, TimeProvider clock, TimeSpan stuckAfter)
    {
        _busHealth = busHealth;
        _clock = clock;
        _stuckAfter = stuckAfter;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = _busHealth();
        var now = _clock.GetUtcNow();
        DateTimeOffset since;
        lock (_gate)
        {
            if (health.Status == BusHealthStatus.Healthy)
            {
                _notHealthySince = null;
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            since = _notHealthySince ??= now;
        }
        var elapsed = now - since;
        var description = $"RabbitMQ bus {health.Status} for {elapsed.TotalSeconds:F0} s (restart after {_stuckAfter.TotalSeconds:F0} s): {health.Description}";
        return Task.FromResult(elapsed >= _stuckAfter
            ? new HealthCheckResult(context.Registration.FailureStatus, description, health.Exception)
            : HealthCheckResult.Healthy(description));
    }
}
