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
        : this(meter => meter.Name == SkillForgeMetrics.MeterName && ReferenceEquals(meter.Scope, scope))
    {
    }

    /// <summary>
    /// Every measurement of the meters named <paramref name="meterName"/>, whoever made them: the model calls' meter
    /// is not made by a host's factory, so a test tells its own measurements apart by a tag (the model's name).
    /// </summary>
    public Measurements(string meterName)
        : this(meter => meter.Name == meterName)
    {
    }

    private Measurements(Func<Meter, bool> heard)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (heard(instrument.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add((i.Name, v, ToDictionary(tags))));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add((i.Name, v, ToDictionary(tags))));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add((i.Name, v, ToDictionary(tags))));
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
