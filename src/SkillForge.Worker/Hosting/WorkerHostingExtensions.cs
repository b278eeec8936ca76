using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SkillForge.Broker;
using SkillForge.Worker.ChatTurns;
using SkillForge.Worker.Cleanup;
using SkillForge.Worker.Erasure;
using SkillForge.Worker.History;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Retention;
using SkillForge.Worker.Security;
using SkillForge.Worker.WriteBehind;

namespace SkillForge.Worker.Hosting;

public static class WorkerHostingExtensions
{
    /// <summary>
    /// The worker: options, the application services, MassTransit over RabbitMQ with the skillforge endpoints,
    /// migrations before the bus starts, a bounded graceful stop, and health checks.
    /// </summary>
    public static IHostApplicationBuilder AddSkillForgeWorker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSkillForgeApplication();
        var stopTimeout = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.StopTimeout ?? new WorkerOptions().StopTimeout;

        // Hosted services start in registration order: the schema is current before the first message is consumed.
        services.AddHostedService<MigrateOnStartService>();
        services.AddMassTransit(bus =>
        {
            bus.AddSkillForgeConsumers();
            // MassTransit 8.4+ reports usage to its vendor over HTTPS from every bus by default: nothing of ours leaves
            // for a third party, and on a closed network every start logged a failed report with a stack trace.
            bus.DisableUsageTelemetry();
            // MassTransit's own check stays for /health (all checks) but not readiness: BrokerHealthCheck decides that.
            bus.ConfigureHealthCheckOptions(health => health.Tags.Add("masstransit"));
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<Microsoft.Extensions.Options.IOptions<RabbitMqOptions>>().Value;
                rabbit.UseSkillForgeBroker(options, "skillforge-worker");
                rabbit.ConfigureEndpoints(context);
            });
        });

        services.AddHostedService<CleanupScheduler>();
        services.AddHostedService(services => services.GetRequiredService<RedisRewriteSchedule>());

        // SIGTERM: stop taking messages, let in-flight turns finish within the bound, then exit. A turn cut off
        // past the bound was never acknowledged, so the broker redelivers it (and its TurnId makes that safe).
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StopTimeout = stopTimeout;
            o.ConsumerStopTimeout = stopTimeout;
        });
        services.Configure<HostOptions>(o => o.ShutdownTimeout = stopTimeout + TimeSpan.FromSeconds(5));

        services.AddSingleton<BusLivenessCheck>(); // keeps its state between probes
        services.AddHealthChecks()
            .AddCheck<BusLivenessCheck>("rabbitmq-stuck", HealthStatus.Unhealthy, ["live"])
            .AddCheck<BrokerHealthCheck>("rabbitmq", HealthStatus.Unhealthy, ["ready"])
            .AddCheck<PostgresHealthCheck>("postgres", HealthStatus.Unhealthy, ["ready"])
            .AddCheck<RedisHealthCheck>("redis", HealthStatus.Degraded, ["ready"]);
        return builder;
    }

    /// <summary>The application services the consumers call, with their options. Shared with the test harness.</summary>
    public static IServiceCollection AddSkillForgeApplication(this IServiceCollection services)
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TurnStorage>();
        services.AddSingleton<AgentTurn>();
        services.AddSingleton<ModelCallLedger>();
        services.AddSingleton<TurnAdmission>();
        services.AddSingleton<TurnAdmissionFilter>();
        services.AddSingleton<WriteBehindTurns>();
        services.AddSingleton<ChatTurnHandler>();
        services.AddSingleton<SendDeadline>();
        services.AddSingleton<WriteBehindQueue>();
        services.AddSingleton<SessionEraser>();
        services.AddSingleton<QueueCopies>();
        services.AddSingleton<RedisRewriteSchedule>();
        services.AddOptions<RedisRewriteOptions>().BindConfiguration(RedisRewriteOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section)
            .PostConfigure(security => security.OperatorUsers = security.OperatorUsers is [] ? [.. SecurityOptions.DefaultOperatorUsers] : security.OperatorUsers)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<ISenderIdentity, BrokerSenderIdentity>();
        services.AddSingleton<SenderCheck>();
        services.AddMetrics();
        services.AddSingleton<SessionStatusGauge>();
        services.AddSingleton<SkillForgeMetrics>();
        services.AddOptions<CleanupScheduleOptions>().BindConfiguration(CleanupScheduleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>The consumers, with their definitions (endpoint names, concurrency, retries). Shared with the test harness.</summary>
    public static IBusRegistrationConfigurator AddSkillForgeConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ProcessChatTurnConsumer, ProcessChatTurnConsumerDefinition>();
        bus.AddConsumer<GetSessionHistoryConsumer, GetSessionHistoryConsumerDefinition>();
        bus.AddConsumer<ListUserSessionsConsumer, ListUserSessionsConsumerDefinition>();
        bus.AddConsumer<ExportSessionConsumer, ExportSessionConsumerDefinition>();
        bus.AddConsumer<ListSessionsConsumer, ListSessionsConsumerDefinition>();
        bus.AddConsumer<LegalHoldsConsumer, LegalHoldsConsumerDefinition>();
        bus.AddConsumer<TenantRetentionConsumer, TenantRetentionConsumerDefinition>();
        bus.AddConsumer<ErasureConsumer, ErasureConsumerDefinition>();
        bus.AddConsumer<CleanupSessionsConsumer, CleanupSessionsConsumerDefinition>();
        bus.AddConsumer<PendingTurnWriteConsumer, PendingTurnWriteConsumerDefinition>();
        bus.AddConsumeObserver<FaultedMessageLogger>();
        return bus;
    }
}
