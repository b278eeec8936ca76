using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>/health/live, /health/ready and /metrics of the real host, with each dependency up or down.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Should_be_live_and_ready_with_every_dependency_up_and_serve_metrics()
    {
        // A virtual host of the test's own, so the turn below is this worker's to count.
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        using var http = new HttpClient { BaseAddress = Address(worker) };
        var turn = await RealWorker.ClientOf(upstream).SendTurnAsync(TestIds.Tenant(), "s", "I want a skill that formats SQL");

        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");
        var metrics = await http.GetStringAsync("/metrics");

        Assert.True(turn.IsReplied);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var readyReport = await Report(ready);
        Assert.Equal("Healthy", readyReport.Status);
        Assert.Equal(["postgres", "rabbitmq", "redis"], readyReport.Checks.Select(c => c.Name));
        Assert.All(readyReport.Checks, c => Assert.Equal("Healthy", c.Status));
        Assert.Equal(["rabbitmq-stuck"], (await Report(live)).Checks.Select(c => c.Name));
        var bus = await Report(await http.GetAsync("/health/bus"));
        Assert.Equal("Healthy", bus.Status);
        Assert.NotEmpty(bus.Checks);
        // At least this turn: OpenTelemetry listens to every meter named SkillForge in the process, and other test
        // classes run their hosts beside this one.
        Assert.Matches(@"skillforge_turns_total\{[^}]*outcome=""replied""[^}]*\} [1-9]", metrics);
        // Buckets in seconds that the alert rules (ops/prometheus/alerts.yml) can tell apart: 200 ms is one.
        Assert.Matches(@"skillforge_store_append_duration_seconds_bucket\{[^}]*le=""0.2""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"skillforge_turn_duration_seconds_bucket\{[^}]*le=""0.005""", metrics);
        Assert.Matches(@"skillforge_session_context_size_bytes_bucket\{[^}]*le=""1000000""", metrics);
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_report_unhealthy_while_the_broker_is_unreachable_and_ready_again_when_it_returns()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var proxy = TcpProxy.To(TestServers.RabbitMqPort);
        await using var worker = await RealWorker.StartWorkerAsync(new Dictionary<string, string?>(vhost.AsConfiguration())
        {
            ["RabbitMq:Port"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient { BaseAddress = Address(worker) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        proxy.Cut();
        var down = await ReadyBecomesAsync(http, HttpStatusCode.ServiceUnavailable);
        var live = await http.GetAsync("/health/live");
        proxy.Restore();
        var up = await ReadyBecomesAsync(http, HttpStatusCode.OK);

        Assert.True(down, "/health/ready still answered 200 with the broker unreachable");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.True(up, "/health/ready did not recover after the broker came back");
    }

    [Fact]
    public async Task Should_report_degraded_not_unhealthy_when_redis_is_down()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(new Dictionary<string, string?>(vhost.AsConfiguration())
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200",
        });
        using var http = new HttpClient { BaseAddress = Address(worker) };

        var ready = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await Report(ready);
        Assert.Equal("Degraded", report.Status);
        // The operator sees which dependency it is, and why.
        var redis = Assert.Single(report.Checks, c => c.Status != "Healthy");
        Assert.Equal(("redis", "Degraded"), (redis.Name, redis.Status));
        Assert.False(string.IsNullOrWhiteSpace(redis.Description));
    }

    [Fact]
    public async Task Should_report_unhealthy_when_postgres_is_down_while_staying_live()
    {
        // Own virtual host: a worker without its database must not take turns from the queues other tests share.
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(new Dictionary<string, string?>(vhost.AsConfiguration())
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2",
            ["Worker:MigrateOnStart"] = "false",
        });
        using var http = new HttpClient { BaseAddress = Address(worker) };

        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    private sealed record CheckReport(string Name, string Status, double DurationMs, string? Description);

    private sealed record HealthReport(string Status, double DurationMs, IReadOnlyList<CheckReport> Checks);

    private static async Task<HealthReport> Report(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return System.Text.Json.JsonSerializer.Deserialize<HealthReport>(await response.Content.ReadAsStringAsync(),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
    }

    private static async Task<bool> ReadyBecomesAsync(HttpClient http, HttpStatusCode expected) =>
        await Eventually.ReadAsync(async () => (await http.GetAsync("/health/ready")).StatusCode, status => status == expected, TimeSpan.FromSeconds(60)) == expected;

    private static Uri Address(RunningWorker worker) =>
        new(worker.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
