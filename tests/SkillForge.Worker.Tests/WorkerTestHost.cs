using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkillForge.Agent.Hosting;
using SkillForge.Client;
using SkillForge.Sessions.Hosting;
using SkillForge.Testing;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Tests;

/// <summary>
/// The one place this test project wires a host: the worker's real services against the real PostgreSQL and
/// Redis (or against none, <see cref="StartWithoutServersAsync"/>), with MassTransit's in-memory test harness in place
/// of RabbitMQ.
/// </summary>
internal static class WorkerTestHost
{
    /// <summary>
    /// Connection strings to a port nobody listens on: every PostgreSQL and Redis call fails at once. The broker's
    /// settings only pass validation: the in-memory harness never connects.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> NoServers = new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=nobody;Database=none;Timeout=2",
        ["ConnectionStrings:PostgresMaintenance"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=nobody;Database=none;Timeout=2",
        ["ConnectionStrings:PostgresAdmin"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=nobody;Database=none;Timeout=2",
        ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200",
        ["RabbitMq:Host"] = "127.0.0.1",
        ["RabbitMq:Port"] = "1",
        ["RabbitMq:Username"] = "nobody",
        ["RabbitMq:Password"] = "nobody",
    };

    /// <param name="bus">More configuration of the in-memory bus (a send filter, say); its endpoints are configured after it.</param>
    public static async Task<IHost> StartAsync(Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null,
        Action<IInMemoryBusFactoryConfigurator>? bus = null)
    {
        await SharedDatabase.EnsureMigratedAsync();
        return await StartAsync(TestServers.AsConfiguration(), services, settings, bus);
    }

    /// <summary>
    /// The same host with PostgreSQL and Redis out of reach, for tests that need no server: a turn refused before
    /// storage, or one that finds the store unavailable.
    /// </summary>
    public static Task<IHost> StartWithoutServersAsync(Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null) =>
        StartAsync(NoServers, services, settings, bus: null);

    private static async Task<IHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> servers, Action<IServiceCollection>? services,
        IDictionary<string, string?>? settings, Action<IInMemoryBusFactoryConfigurator>? bus)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(servers);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddSessionStorage();
        builder.AddSkillAgent();
        builder.Services.AddSkillForgeApplication();
        builder.Services.AddSingleton<ISenderIdentity, HarnessSenderIdentity>();
        builder.Services.AddMassTransitTestHarness(harness =>
        {
            harness.AddSkillForgeConsumers();
            harness.AddSkillForgeClient();
            harness.DisableUsageTelemetry();
            if (bus is not null)
            {
                harness.UsingInMemory((context, cfg) =>
                {
                    bus(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
