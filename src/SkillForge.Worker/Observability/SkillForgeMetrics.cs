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

    public SkillForgeMetrics(IMeterFactory meterFactory, SessionCache cache, SessionStatusGauge statusGauge)
    {
        _meter = meterFactory.Create(MeterName);
        _turns = _meter.CreateCounter<long>("skillforge.turns", "{turn}", "Chat turns processed, by outcome (replied, replayed, rejected, failed) and rejection code");
        _turnDuration = _meter.CreateHistogram<double>("skillforge.turn.duration", "s", "Time to process a chat turn, validation to answer");
        _storeAppend = _meter.CreateHistogram<double>("skillforge.store.append.duration", "s", "PostgreSQL append of one turn");
        _storeLoad = _meter.CreateHistogram<double>("skillforge.store.load.duration", "s", "PostgreSQL load of one session");
        _storeErrors = _meter.CreateCounter<long>("skillforge.store.errors", "{error}", "PostgreSQL operations that failed, by operation");
        _cache = _meter.CreateCounter<long>("skillforge.cache.lookups", "{lookup}", "Redis session cache use, by result (hit, miss, error, bypassed)");
        _conflicts = _meter.CreateCounter<long>("skillforge.concurrency.conflicts", "{conflict}", "Version races lost and recomputed");
        _sessions = _meter.CreateCounter<long>("skillforge.sessions.transitions", "{session}", "Sessions created, completed, abandoned, erased, purged");
        _contextSize = _meter.CreateHistogram<long>("skillforge.session.context.size", "By", "Stored size of a session's agent context (watch for growth past ~1 MB)");
        _cleanupSessions = _meter.CreateCounter<long>("skillforge.cleanup.sessions", "{session}", "Sessions changed by cleanup, by action (abandoned, deleted)");
        _cleanupDuration = _meter.CreateHistogram<double>("skillforge.cleanup.duration", "s", "Duration of a cleanup run");
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

    public void ContextSize(int bytes) => _contextSize.Record(bytes);

    public void Cleanup(int abandoned, int deleted, TimeSpan duration)
    {
        _cleanupSessions.Add(abandoned, new KeyValuePair<string, object?>("action", "abandoned"));
        _cleanupSessions.Add(deleted, new KeyValuePair<string, object?>("action", "deleted"));
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
