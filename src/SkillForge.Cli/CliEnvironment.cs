using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkillForge.Broker;
using SkillForge.Client;

namespace SkillForge.Cli;

/// <summary>
/// Configuration (the CLI's appsettings.json next to the binary, then appsettings.{DOTNET_ENVIRONMENT}.json — the
/// development passwords live in appsettings.Development.json — then environment variables such as
/// <c>RabbitMq__Password</c> and <c>ConnectionStrings__PostgresAdmin</c>) and, for commands that need it, a started
/// bus with the typed client. Reconnects on its own if the broker restarts (MassTransit's connection retry).
/// </summary>
/// <param name="error">Where errors go (standard error); the output when not given.</param>
public sealed class CliEnvironment(TextReader input, TextWriter output, IConfiguration? overrides = null, TextWriter? error = null)
{
    public TextReader Input { get; } = input;

    /// <summary>The command's result, for a person or (with <c>--json</c>) a script.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>What went wrong (usage, a missing setting, an unreachable server): never mixed into a result a script reads.</summary>
    public TextWriter Error { get; } = error ?? output;

    public IConfiguration Configuration { get; } = overrides ?? new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddJsonFile($"appsettings.{EnvironmentName}.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    /// <summary>DOTNET_ENVIRONMENT, as for the worker; Production when unset, which ships no credential.</summary>
    public static string EnvironmentName =>
        Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } name ? name : "Production";

    /// <summary>The broker connection of the <c>RabbitMq</c> section: the operator's own user, not the worker's.</summary>
    public RabbitMqOptions Rabbit => Configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();

    /// <summary>Starts a bus with <see cref="SkillForgeClient"/>; dispose the host to stop it.</summary>
    public async Task<IHost> StartBusAsync(TimeSpan requestTimeout, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(Configuration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SkillForgeClientOptions.Section}:RequestTimeout"] = requestTimeout.ToString(),
        });
        builder.Logging.ClearProviders();
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddSkillForgeClient();
            bus.DisableUsageTelemetry(); // as the worker does (WorkerHostingExtensions)
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseSkillForgeBroker(Rabbit, "skillforge-cli");
                rabbit.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(15);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }
}
