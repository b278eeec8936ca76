using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SkillForge.Worker.Tests.Observability;

internal sealed record LogEntry(int EventId, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);

/// <summary>A logger provider that keeps every entry with the scope values in force when it was written.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentBag<LogEntry> Entries { get; } = [];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            provider._scopes.ForEachScope((s, d) =>
            {
                if (s is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    foreach (var pair in pairs)
                    {
                        d[pair.Key] = pair.Value;
                    }
                }
            }, scope);
            provider.Entries.Add(new LogEntry(eventId.Id, logLevel, formatter(state, exception), scope));
        }
    }
}
