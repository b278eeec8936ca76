using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkillForge.Testing;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Tests.Hosting;

/// <summary>The worker's production composition, built (not started) with the test servers' settings.</summary>
public sealed class WorkerAppTests
{
    [Fact]
    public async Task Should_not_send_usage_telemetry_to_the_bus_vendor()
    {
        await using var app = WorkerApp.Build([], builder =>
            builder.Configuration.AddInMemoryCollection(TestServers.AsConfiguration()));

        var telemetry = app.Services.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value;

        Assert.False(telemetry.Enabled);
    }
}
