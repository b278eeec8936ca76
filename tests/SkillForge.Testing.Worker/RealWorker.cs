using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SkillForge.Broker;
using SkillForge.Client;
using SkillForge.Testing;
using SkillForge.Worker.Hosting;

namespace SkillForge.Testing.Worker;

/// <summary>
/// The real worker host (its production composition, <see cref="WorkerApp"/>) started in-process against the real
/// RabbitMQ, PostgreSQL and Redis, and an upstream service's bus with the typed client.
/// </summary>
public static class RealWorker
{
    /// <param name="settings">Configuration over the test servers' (e.g. another virtual host).</param>
    /// <param name="services">Registrations ahead of the worker's own; the worker's are TryAdd, so these win (e.g. an agent).</param>
    public static async Task<RunningWorker> StartWorkerAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        await SharedDatabase.EnsureMigratedAsync();
        var app = WorkerApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(TestServers.AsConfiguration());
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Worker:StopTimeout"] = "00:00:10",
                // Tests send cleanups themselves; a start-up tick would clean the shared test database under them.
                ["Cleanup:Enabled"] = "false",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new RunningWorker(app);
    }

    /// <summary>An upstream service: its own bus on the same broker, with <see cref="SkillForgeClient"/>.</summary>
    /// <param name="user">The broker user it connects as; an upstream service's by default.</param>
    /// <param name="configure">Changes to its broker settings (e.g. TLS).</param>
    public static async Task<IHost> StartUpstreamAsync(string? virtualHost = null, BrokerUser? user = null, Action<RabbitMqOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddSkillForgeClient();
            bus.DisableUsageTelemetry();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = new RabbitMqOptions
                {
                    Host = TestServers.RabbitMqHost,
                    Port = TestServers.RabbitMqPort,
                    VirtualHost = virtualHost ?? TestServers.RabbitMqVirtualHost,
                    Username = (user ?? TestServers.RabbitMqUpstream).Name,
                    Password = (user ?? TestServers.RabbitMqUpstream).Password,
                };
                configure?.Invoke(options);
                rabbit.UseSkillForgeBroker(options, "skillforge-test-upstream");
                rabbit.ConfigureEndpoints(context);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>
    /// <paramref name="vhost"/> as behind a stalled worker whose chat-turn queue is full (see <see cref="FillQueueAsync"/>).
    /// </summary>
    public static Task<IHost> FillChatTurnQueueAsync(TestVirtualHost vhost) =>
        FillQueueAsync(vhost, SkillForge.Contracts.Queues.SkillForgeQueues.ChatTurns,
            client => client.SendTurnAsync(TestIds.Tenant(), "waiting", "I want a skill that formats SQL"));

    /// <summary>
    /// <paramref name="vhost"/> as behind a stalled worker whose <paramref name="queue"/> is full: the production
    /// policies with a length limit of 0, the worker's queues declared by a worker that then stopped, and the request
    /// <paramref name="send"/> makes waiting there (a quorum queue refuses once it has seen itself over its limit).
    /// Returns the upstream that sent it.
    /// </summary>
    public static async Task<IHost> FillQueueAsync(TestVirtualHost vhost, string queue, Func<SkillForgeClient, Task> send)
    {
        await vhost.ApplyProductionPoliciesAsync(maxLength: 0);
        await (await StartWorkerAsync(vhost.AsConfiguration())).DisposeAsync();
        var upstream = await StartUpstreamAsync(vhost.Name);
        _ = send(ClientOf(upstream));
        await Eventually.ReadAsync(() => vhost.GetQueueAsync(queue),
            q => q.TryGetProperty("messages", out var messages) && messages.GetInt32() == 1);
        return upstream;
    }

    public static SkillForgeClient ClientOf(IHost upstream) => upstream.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
}
