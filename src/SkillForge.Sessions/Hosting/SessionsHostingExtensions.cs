using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Migrations;
using SkillForge.Sessions.Retention;
using SkillForge.Sessions.Storage;
using StackExchange.Redis;

namespace SkillForge.Sessions.Hosting;

public static class SessionsHostingExtensions
{
    /// <summary>
    /// Registers the session store, the Redis cache, cleanup and the migrator, from the connection strings
    /// <c>Postgres</c> (chat-turn role), <c>PostgresMaintenance</c> (cleanup and gauges), <c>Redis</c>, and
    /// <c>PostgresAdmin</c> (table owner), which only the migrator needs, and the <c>Sessions</c> section. A missing
    /// connection string fails start-up with a message naming it; the owner's fails when the migrator is first asked for.
    /// </summary>
    public static IHostApplicationBuilder AddSessionStorage(this IHostApplicationBuilder builder)
    {
        var postgres = RequiredConnectionString(builder.Configuration, "Postgres");
        var postgresMaintenance = RequiredConnectionString(builder.Configuration, "PostgresMaintenance");
        var redis = RequiredConnectionString(builder.Configuration, "Redis");
        var redisCa = builder.Configuration["Redis:CaCertificate"];
        var configuration = builder.Configuration;

        builder.Services.AddOptions<SessionStoreOptions>()
            .BindConfiguration(SessionStoreOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<RetentionPolicy>()
            .BindConfiguration(RetentionPolicy.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(sp => new SessionDatabase(BuildDataSource(postgres, "skillforge-worker", sp.GetService<ILoggerFactory>())));
        builder.Services.AddSingleton(sp => new MaintenanceDatabase(
            BuildDataSource(postgresMaintenance, "skillforge-maintenance", sp.GetService<ILoggerFactory>())));
        builder.Services.AddSingleton(sp => new MigrationDatabase(
            BuildDataSource(RequiredConnectionString(configuration, "PostgresAdmin"), "skillforge-migrations", sp.GetService<ILoggerFactory>())));
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectRedis(redis, redisCa));
        builder.Services.AddSingleton<ChatLatencies>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<RefusalAudit>();
        builder.Services.AddSingleton<SessionCache>();
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CleanupRun>();
        builder.Services.AddSingleton<LegalHoldStore>();
        builder.Services.AddSingleton<TenantRetentionStore>();
        builder.Services.AddSingleton<CleanupTicks>();
        return builder;
    }

    /// <summary>
    /// A pooled data source with auto-preparation on (it roughly halves a small query's cost). It is named after its
    /// application name, which is what Npgsql's metrics carry as <c>db.client.connection.pool.name</c> (by default that
    /// would be the whole connection string).
    /// </summary>
    /// <param name="loggerFactory">The host's, so that Npgsql's own log lines (category <c>Npgsql.*</c>) reach its logging.</param>
    public static NpgsqlDataSource BuildDataSource(string connectionString, string applicationName, ILoggerFactory? loggerFactory = null)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(csb.ApplicationName))
        {
            csb.ApplicationName = applicationName;
        }
        if (csb.MaxAutoPrepare == 0)
        {
            csb.MaxAutoPrepare = 64;
            csb.AutoPrepareMinUsages = 2;
        }
        var builder = new NpgsqlDataSourceBuilder(csb.ConnectionString) { Name = csb.ApplicationName };
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }
        return builder.Build();
    }

    /// <summary>
    /// One multiplexer per process. It never throws on a dead Redis (it keeps reconnecting in the background) and
    /// fails commands fast while disconnected instead of queueing them, so the cache can step aside at once.
    /// </summary>
    /// <param name="configuration">A StackExchange.Redis configuration string (<c>host:port,user=…,password=…,ssl=true</c>).</param>
    /// <param name="caCertificate">
    /// With <c>ssl=true</c>: a PEM file with the CA that issued Redis's certificate, trusted for this connection alone
    /// (<c>Redis:CaCertificate</c>). Empty: the machine's trust store decides.
    /// </param>
    public static IConnectionMultiplexer ConnectRedis(string configuration, string? caCertificate = null)
    {
        var options = ConfigurationOptions.Parse(configuration);
        if (caCertificate is { Length: > 0 })
        {
            if (!File.Exists(caCertificate))
            {
                throw new InvalidOperationException($"Redis:CaCertificate names '{caCertificate}', which does not exist.");
            }
            options.TrustIssuer(caCertificate);
        }
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // Lets the client send BGREWRITEAOF after erasures. What the worker may run is the server's to decide: its Redis
        // user (ops/redis/users.acl) refuses every other administrative command.
        options.AllowAdmin = true;
        // The worker's Redis user may run only the cache's commands: CONFIG and the tie-breaker key's GET, which the
        // client tries on connect by default, would be refused and logged by Redis at every reconnect.
        if (!configuration.Contains("tiebreaker", StringComparison.OrdinalIgnoreCase))
        {
            options.TieBreaker = "";
        }
        if (!configuration.Contains("$CONFIG", StringComparison.OrdinalIgnoreCase))
        {
            options.CommandMap = CommandMap.Create(new HashSet<string> { "CONFIG" }, available: false);
        }
        if (!configuration.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.ConnectTimeout = 2_000;
        }
        if (!configuration.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.SyncTimeout = 1_000;
        }
        if (!configuration.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase))
        {
            options.AsyncTimeout = 1_000;
        }
        return ConnectionMultiplexer.Connect(options);
    }

    public static string RequiredConnectionString(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new MissingSettingException(
                $"Connection string '{name}' is not configured. Set ConnectionStrings:{name} in the settings " +
                $"or the environment variable ConnectionStrings__{name}.");
}
