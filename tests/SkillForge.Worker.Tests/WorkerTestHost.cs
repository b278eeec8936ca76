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
/// Redis, with MassTransit's in-memory test harness in place of RabbitMQ.
/// </summary>
internal static class WorkerTestHost
{
    /// <param name="bus">More configuration of the in-memory bus (a send filter, say); its endpoints are configured after it.</param>
    public static async Task<IHost> StartAsync(Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null,
        Action<IInMemoryBusFactoryConfigurator>? bus = null)
    {
        await SharedDatabase.EnsureMigratedAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(TestServers.AsConfiguration());
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
