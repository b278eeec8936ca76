using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>
/// Every measurement of this host's SkillForge meter while it lives. A listener hears every meter of the process,
/// and other test classes run hosts beside this one: the meter's scope (the host's meter factory) tells them apart.
/// </summary>
internal sealed class Measurements : ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>, IDisposable
{
    private readonly MeterListener _listener = new();

    public Measurements(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SkillForgeMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add((i.Name, v, ToDictionary(tags))));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add((i.Name, v, ToDictionary(tags))));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }
        return result;
    }
}
