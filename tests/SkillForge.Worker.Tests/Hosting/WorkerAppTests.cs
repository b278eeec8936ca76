using Dapper;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkillForge.Sessions.Hosting;
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

    [Theory]
    [InlineData("ConnectionStrings:Postgres")]
    [InlineData("ConnectionStrings:PostgresMaintenance")]
    [InlineData("ConnectionStrings:Redis")]
    public void Should_fail_at_build_naming_a_missing_connection_string(string setting)
    {
        var failure = Assert.Throws<MissingSettingException>(() => WorkerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(TestServers.AsConfiguration()) { [setting] = "" })));

        Assert.Contains(setting + " ", failure.Message);
    }

    [Fact]
    public async Task Should_fail_at_start_without_the_owner_connection_only_when_told_to_migrate()
    {
        var withoutOwner = new Dictionary<string, string?>(TestServers.AsConfiguration()) { ["ConnectionStrings:PostgresAdmin"] = "" };
        await using var app = WorkerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(withoutOwner) { ["Worker:MigrateOnStart"] = "true" }));

        var failure = await Assert.ThrowsAsync<MissingSettingException>(() => app.StartAsync());

        Assert.Contains("ConnectionStrings:PostgresAdmin", failure.Message);
    }

    [Fact]
    public async Task Should_hold_no_owner_role_at_run_time()
    {
        await using var app = WorkerApp.Build([], builder => builder.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(TestServers.AsConfiguration()) { ["ConnectionStrings:PostgresAdmin"] = "" }));
        var dataSources = new[]
        {
            app.Services.GetRequiredService<SessionDatabase>().DataSource,
            app.Services.GetRequiredService<MaintenanceDatabase>().DataSource,
        };

        foreach (var dataSource in dataSources)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            var (user, privileged) = await connection.QuerySingleAsync<(string, bool)>("""
                SELECT current_user::text, r.rolsuper OR r.rolbypassrls OR pg_has_role(current_user, t.tableowner, 'USAGE')
                  FROM pg_roles r, pg_tables t
                 WHERE r.rolname = current_user AND t.tablename = 'sessions'
                """);
            Assert.False(privileged, $"the worker connects as {user}, which owns the tables or bypasses row-level security");
        }
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
