using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SkillForge.Sessions.Hosting;
using SkillForge.Testing;

namespace SkillForge.Sessions.Tests.Hosting;

/// <summary>
/// The data sources that <c>AddSessionStorage</c> builds log through the host's logging and report on Npgsql's meter
/// under their application name. Needs PostgreSQL.
/// </summary>
public sealed class NpgsqlTelemetryTests
{
    [Fact]
    public async Task Should_log_npgsql_through_the_host_and_measure_a_query_under_the_application_name()
    {
        var applicationName = $"skillforge-npgsql-{Guid.NewGuid():N}";
        var durations = new ConcurrentQueue<(double Seconds, object? Pool)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.operation.duration")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "db.client.connection.pool.name")
                {
                    durations.Enqueue((seconds, tag.Value));
                }
            }
        });
        listener.Start();
        var logged = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"{TestServers.Postgres};Application Name={applicationName}",
            ["ConnectionStrings:PostgresMaintenance"] = TestServers.PostgresMaintenance,
            ["ConnectionStrings:PostgresAdmin"] = TestServers.PostgresAdmin,
            ["ConnectionStrings:Redis"] = TestServers.Redis,
            // The worker ships Warning; Information is where Npgsql logs each statement.
            ["Logging:LogLevel:Npgsql"] = "Information",
        });
        builder.Logging.ClearProviders().AddProvider(logged);
        builder.AddSessionStorage();
        using var host = builder.Build();
        var dataSource = host.Services.GetRequiredService<SessionDatabase>().DataSource;

        await using (var command = dataSource.CreateCommand("SELECT 1 AS npgsql_telemetry_probe"))
        {
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        Assert.Contains(logged.Entries, e => e.Category == "Npgsql.Command" && e.Message.Contains("npgsql_telemetry_probe", StringComparison.Ordinal));
        Assert.Contains(durations, d => Equals(d.Pool, applicationName) && d.Seconds > 0);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Entries.Enqueue((category, formatter(state, exception)));
        }
    }
}
