using System.Diagnostics;
using System.Diagnostics.Metrics;
using SkillForge.Sessions.Caching;

namespace SkillForge.Worker.Observability;

/// <summary>
/// The meter <c>SkillForge</c> (exported to Prometheus as <c>skillforge_*</c>) and the activity source of our own
/// spans. The store's append/load durations are what the alert rules in ops/prometheus watch.
/// </summary>
public sealed class SkillForgeMetrics : IDisposable
{
    public const string MeterName = "SkillForge";
    public static readonly ActivitySource ActivitySource = new("SkillForge");

    /// <summary>
    /// Bucket bounds in seconds from 1 ms to 10 s, with 200 ms and 500 ms (the alert thresholds in
    /// ops/prometheus/alerts.yml) among them. Without them the SDK's default bounds (0, 5, 10, … 10000, made for
    /// milliseconds) put every turn into the first bucket and no quantile could be told apart.
    /// </summary>
    public static readonly IReadOnlyList<double> SecondsBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Cleanup runs take from a fraction of a second to an hour.</summary>
    public static readonly IReadOnlyList<double> CleanupSecondsBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600];

    /// <summary>Context sizes from 1 KB to 16 MB, with 1 MB (the SkillForgeContextLarge alert) among them.</summary>
    public static readonly IReadOnlyList<long> ContextBytesBuckets =
        [1_000, 4_000, 16_000, 64_000, 250_000, 500_000, 1_000_000, 4_000_000, 16_000_000];

    private readonly Meter _meter;
    private readonly Counter<long> _turns;
    private readonly Histogram<double> _turnDuration;
    private readonly Histogram<double> _storeAppend;
    private readonly Histogram<double> _storeLoad;
    private readonly Counter<long> _storeErrors;
    private readonly Counter<long> _cache;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _sessions;
    private readonly Histogram<long> _contextSize;
    private readonly Counter<long> _cleanupSessions;
    private readonly Histogram<double> _cleanupDuration;
    private readonly Counter<long> _cleanupAuditLines;
    private readonly Counter<long> _writeBehind;
    private readonly Counter<long> _refused;

    public SkillForgeMetrics(IMeterFactory meterFactory, SessionCache cache, SessionStatusGauge statusGauge)
    {
        _meter = meterFactory.Create(MeterName);
        _turns = _meter.CreateCounter<long>("skillforge.turns", "{turn}", "Chat turns processed, by outcome (replied, replayed, rejected, failed) and rejection code");
        _turnDuration = Seconds("skillforge.turn.duration", "Time to process a chat turn, validation to answer", SecondsBuckets);
        _storeAppend = Seconds("skillforge.store.append.duration", "PostgreSQL append of one turn", SecondsBuckets);
        _storeLoad = Seconds("skillforge.store.load.duration", "PostgreSQL load of one session", SecondsBuckets);
        _storeErrors = _meter.CreateCounter<long>("skillforge.store.errors", "{error}", "PostgreSQL operations that failed, by operation");
        _cache = _meter.CreateCounter<long>("skillforge.cache.lookups", "{lookup}", "Redis session cache use, by result (hit, miss, error, bypassed)");
        _conflicts = _meter.CreateCounter<long>("skillforge.concurrency.conflicts", "{conflict}", "Version races lost and recomputed");
        _sessions = _meter.CreateCounter<long>("skillforge.sessions.transitions", "{session}", "Sessions created, completed, abandoned, erased, purged");
        _contextSize = _meter.CreateHistogram("skillforge.session.context.size", "By", "Stored size of a session's agent context (watch for growth past ~1 MB)",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = ContextBytesBuckets });
        _cleanupSessions = _meter.CreateCounter<long>("skillforge.cleanup.sessions", "{session}", "Sessions changed by cleanup, by action (abandoned, deleted)");
        _cleanupDuration = Seconds("skillforge.cleanup.duration", "Duration of a cleanup run", CleanupSecondsBuckets);
        _cleanupAuditLines = _meter.CreateCounter<long>("skillforge.cleanup.audit_lines", "{line}", "Audit lines deleted by cleanup past their retention");
        _writeBehind = _meter.CreateCounter<long>("skillforge.write_behind", "{write}",
            "Turns written behind while PostgreSQL was down, by stage (queued, applied, already_applied, deferred, dropped, conflict)");
        _refused = _meter.CreateCounter<long>("skillforge.messages.refused", "{message}",
            "Operator and internal messages refused (untrusted sender, bounds), by message type and reason");
        _meter.CreateObservableGauge("skillforge.sessions", statusGauge.Observe, "{session}", "Sessions stored, by status (refreshed at most every 30 s)");
        cache.Observed += e => _cache.Add(1, new KeyValuePair<string, object?>("result", e.ToString().ToLowerInvariant()));
    }

    public void TurnReplied(double seconds, bool replayed) => RecordTurn(seconds, replayed ? "replayed" : "replied", null);

    public void TurnRejected(double seconds, string code) => RecordTurn(seconds, "rejected", code);

    public void TurnFailed(double seconds) => RecordTurn(seconds, "failed", null);

    public void StoreAppend(TimeSpan elapsed) => _storeAppend.Record(elapsed.TotalSeconds);

    public void StoreLoad(TimeSpan elapsed) => _storeLoad.Record(elapsed.TotalSeconds);

    public void StoreError(string operation) => _storeErrors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void Conflict() => _conflicts.Add(1);

    public void Session(string transition) => _sessions.Add(1, new KeyValuePair<string, object?>("transition", transition));

    public void WriteBehind(string stage) => _writeBehind.Add(1, new KeyValuePair<string, object?>("stage", stage));

    public void Refused(string messageType, string reason) =>
        _refused.Add(1, new KeyValuePair<string, object?>("message", messageType), new KeyValuePair<string, object?>("reason", reason));

    public void ContextSize(int bytes) => _contextSize.Record(bytes);

    public void Cleanup(int abandoned, int deleted, long auditLines, TimeSpan duration)
    {
        _cleanupSessions.Add(abandoned, new KeyValuePair<string, object?>("action", "abandoned"));
        _cleanupSessions.Add(deleted, new KeyValuePair<string, object?>("action", "deleted"));
        _cleanupAuditLines.Add(auditLines);
        _cleanupDuration.Record(duration.TotalSeconds);
        if (abandoned > 0)
        {
            _sessions.Add(abandoned, new KeyValuePair<string, object?>("transition", "abandoned"));
        }
        if (deleted > 0)
        {
            _sessions.Add(deleted, new KeyValuePair<string, object?>("transition", "purged"));
        }
    }

    public void Dispose() => _meter.Dispose();

    // The bounds travel as advice on the instrument, so every exporter (Prometheus, OTLP) uses the same ones.
    private Histogram<double> Seconds(string name, string description, IReadOnlyList<double> buckets) =>
        _meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });

    private void RecordTurn(double seconds, string outcome, string? code)
    {
        var tags = new TagList { { "outcome", outcome } };
        if (code is not null)
        {
            tags.Add("code", code);
        }
        _turns.Add(1, tags);
        _turnDuration.Record(seconds, new KeyValuePair<string, object?>("outcome", outcome));
    }
}
