using SkillForge.Agent.Hosting;
using SkillForge.Sessions.Hosting;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Hosting;

/// <summary>Composes the worker host; <c>Program</c> runs it, and tests start the very same host in-process.</summary>
public static class WorkerApp
{
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Worker:PrefetchCount=8</c>).</param>
    /// <param name="configure">A last say over configuration and services, for tests.</param>
    public static WebApplication Build(string[] args, Action<IHostApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The content root is where appsettings.json is, wherever the process is started from.
            ContentRootPath = AppContext.BaseDirectory,
        });
        configure?.Invoke(builder);
        builder.AddSessionStorage();
        builder.AddSkillAgent();
        builder.AddSkillForgeWorker();
        builder.AddSkillForgeTelemetry();

        var app = builder.Build();
        app.MapSkillForgeEndpoints();
        return app;
    }
}
