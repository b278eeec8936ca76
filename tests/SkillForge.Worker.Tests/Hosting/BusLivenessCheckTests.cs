using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Tests.Hosting;

/// <summary>Liveness fails only once the bus has gone the whole limit without being Healthy.</summary>
public sealed class BusLivenessCheckTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly ManualClock _clock = new();
    private BusHealthResult _bus = BusHealthResult.Healthy("Ready", new Dictionary<string, EndpointHealthResult>());

    [Fact]
    public async Task Should_stay_live_while_the_bus_is_healthy()
    {
        var check = Check();

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));
    }

    [Fact]
    public async Task Should_stay_live_while_the_bus_is_down_for_less_than_the_limit_and_fail_at_the_limit()
    {
        var check = Check();
        _bus = Stuck();

        var atFirst = await StatusAsync(check);
        _clock.Advance(Limit - TimeSpan.FromSeconds(1));
        var justBefore = await StatusAsync(check);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var atLimit = await ResultAsync(check);

        Assert.Equal((HealthStatus.Healthy, HealthStatus.Healthy), (atFirst, justBefore));
        Assert.Equal(HealthStatus.Unhealthy, atLimit.Status);
        Assert.Contains("Degraded for 180 s", atLimit.Description);
    }

    [Fact]
    public async Task Should_start_counting_again_after_the_bus_was_healthy_in_between()
    {
        var check = Check();
        _bus = Stuck();
        await StatusAsync(check);
        _clock.Advance(TimeSpan.FromMinutes(2));
        _bus = BusHealthResult.Healthy("Ready", new Dictionary<string, EndpointHealthResult>());
        await StatusAsync(check);
        _bus = Stuck();
        await StatusAsync(check);

        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(HealthStatus.Healthy, await StatusAsync(check));
    }

    private static BusHealthResult Stuck() =>
        BusHealthResult.Degraded("Not ready: skillforge-chat-turns", new InvalidOperationException("endpoint not ready"), new Dictionary<string, EndpointHealthResult>());

    private BusLivenessCheck Check() => new(() => _bus, _clock, Limit);

    private static async Task<HealthStatus> StatusAsync(BusLivenessCheck check) => (await ResultAsync(check)).Status;

    private static Task<HealthCheckResult> ResultAsync(BusLivenessCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("rabbitmq-stuck", check, HealthStatus.Unhealthy, ["live"]),
        });

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
