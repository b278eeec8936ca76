using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>/health/live, /health/ready and /metrics of the real host, with each dependency up or down.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Should_be_live_and_ready_with_every_dependency_up_and_serve_metrics()
    {
        await using var worker = await RealWorker.StartWorkerAsync();
        using var http = new HttpClient { BaseAddress = Address(worker) };

        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");
        var metrics = await http.GetStringAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Contains("# TYPE", metrics);
    }

    [Fact]
    public async Task Should_report_degraded_not_unhealthy_when_redis_is_down()
    {
        await using var worker = await RealWorker.StartWorkerAsync(new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200" });
        using var http = new HttpClient { BaseAddress = Address(worker) };

        var ready = await http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Should_report_unhealthy_when_postgres_is_down_while_staying_live()
    {
        await using var worker = await RealWorker.StartWorkerAsync(new Dictionary<string, string?>
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

    private static Uri Address(WebApplication worker) =>
        new(worker.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
