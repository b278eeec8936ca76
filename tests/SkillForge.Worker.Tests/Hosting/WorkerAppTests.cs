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

    [Theory]
    [InlineData("RabbitMq:Password")]
    [InlineData("RabbitMq:Username")]
    public async Task Should_fail_at_start_naming_a_missing_broker_credential(string setting)
    {
        // Whether building or starting fails first, it is before anything runs, and the message names the setting.
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var app = WorkerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(
                new Dictionary<string, string?>(TestServers.AsConfiguration()) { [setting] = "" }));
            await app.StartAsync();
        });

        Assert.NotNull(failure);
        Assert.Contains(setting, failure.Message);
    }

    [Fact]
    public void Should_fail_at_build_naming_a_missing_connection_string()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => WorkerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(TestServers.AsConfiguration()) { ["ConnectionStrings:Postgres"] = "" })));

        Assert.Contains("ConnectionStrings:Postgres", failure.Message);
    }

    [Fact]
    public void Should_ship_no_credential_and_no_migration_on_start_in_the_base_settings()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json"));
        using var settings = System.Text.Json.JsonDocument.Parse(shipped);

        Assert.DoesNotContain("Password", shipped, StringComparison.OrdinalIgnoreCase);
        Assert.False(settings.RootElement.TryGetProperty("ConnectionStrings", out _));
        Assert.False(settings.RootElement.GetProperty("Worker").GetProperty("MigrateOnStart").GetBoolean());
    }
}
