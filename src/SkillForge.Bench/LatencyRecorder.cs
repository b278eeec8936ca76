using System.Diagnostics;
using HdrHistogram;

namespace SkillForge.Bench;

/// <summary>Latencies in microseconds (HdrHistogram, 3 significant digits), safe to record from many tasks.</summary>
internal sealed class LatencyRecorder
{
    private readonly LongConcurrentHistogram _histogram = new(1, 60_000_000, 3);

    public long Count => _histogram.TotalCount;

    public void Record(long startTimestamp) =>
        _histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds));

    public double PercentileMs(double percentile) => _histogram.GetValueAtPercentile(percentile) / 1000.0;

    /// <summary>All of these recorders' samples in one, for a percentile over several rounds.</summary>
    public static LatencyRecorder Pooled(IEnumerable<LatencyRecorder> recorders)
    {
        var pooled = new LatencyRecorder();
        foreach (var recorder in recorders)
        {
            pooled._histogram.Add(recorder._histogram);
        }
        return pooled;
    }
}
