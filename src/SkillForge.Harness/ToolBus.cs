using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkillForge.Broker;
using SkillForge.Client;

namespace SkillForge.Harness;

/// <summary>
/// A tool's own bus on the RabbitMQ of the <c>RabbitMq__*</c> settings (ops/dev.sh's by default), as the worker's user,
/// with the typed client that drives the real worker.
/// </summary>
public static class ToolBus
{
    /// <param name="clusterNodes">host:port of each RabbitMQ cluster node; none for the single node of the settings.</param>
    /// <param name="register">More for the bus to know (a consumer, a request client).</param>
    /// <param name="endpoints">Receive endpoints of the tool's own.</param>
    public static async Task<IHost> StartAsync(string[] clusterNodes, Action<IBusRegistrationConfigurator>? register = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? endpoints = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddSkillForgeClient();
            bus.DisableUsageTelemetry(); // as the worker does
            register?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseSkillForgeBroker(Options(clusterNodes), "skillforge-tool");
                endpoints?.Invoke(context, rabbit);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// The broker settings of a tool, for <see cref="BrokerConnection"/> (a bus, or a plain connection): the worker's user,
    /// because a tool may both serve a skillforge- queue of its own and send chat turns.
    /// </summary>
    public static RabbitMqOptions Options(params string[] clusterNodes) => new()
    {
        Host = ToolEnvironment.Get("RabbitMq__Host", "127.0.0.1"),
        VirtualHost = ToolEnvironment.Get("RabbitMq__VirtualHost", "skillforge"),
        Username = ToolEnvironment.Get("RabbitMq__Username", "skillforge-worker"),
        Password = ToolEnvironment.Get("RabbitMq__Password", "skillforge-worker"),
        ClusterNodes = clusterNodes,
    };

    /// <summary>The typed client of a bus started here.</summary>
    public static SkillForgeClient ClientOf(IHost bus) => bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();

}
