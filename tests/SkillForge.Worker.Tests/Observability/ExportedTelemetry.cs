using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace SkillForge.Worker.Tests.Observability;

internal sealed record ExportedPoint(string Metric, double Value, long Count, IReadOnlyDictionary<string, object?> Tags)
{
    public object? Tag(string name) => Tags.GetValueOrDefault(name);
}

/// <summary>
/// What the host's own OpenTelemetry providers (<c>AddSkillForgeTelemetry</c>) export, caught in memory: a span or a
/// metric shows up here only if the registration subscribes to its source or meter, which a bare listener would not
/// tell. Those providers hear the whole process: a test picks its own data by a tag it made unique.
/// </summary>
internal sealed class ExportedTelemetry
{
    private readonly ConcurrentQueue<ExportedPoint> _points = new();
    private readonly MetricReader _reader;

    private ExportedTelemetry() => _reader = new BaseExportingMetricReader(new PointCapture(_points));

    public ConcurrentQueue<Activity> Spans { get; } = new();

    /// <summary>Adds the capture to the host's tracer and meter providers; call it with the host's telemetry registered.</summary>
    public static ExportedTelemetry AddTo(IServiceCollection services)
    {
        var exported = new ExportedTelemetry();
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SpanCapture(exported.Spans)));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddReader(exported._reader));
        return exported;
    }

    /// <summary>
    /// Collects every meter the host's provider reads, now, and returns the points exported so far (cumulative). Only
    /// this reader: the Prometheus one exports only when scraped, so a flush of the whole provider reports failure.
    /// </summary>
    public IReadOnlyList<ExportedPoint> CollectMetrics(IServiceProvider services)
    {
        _ = services.GetRequiredService<MeterProvider>(); // built on first use; it starts the reader
        Assert.True(_reader.Collect(10_000), "the meter provider did not collect");
        return _points.ToList();
    }

    private sealed class SpanCapture(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }

    private sealed class PointCapture(ConcurrentQueue<ExportedPoint> points) : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }
                    var (value, count) = metric.MetricType switch
                    {
                        MetricType.Histogram => (point.GetHistogramSum(), point.GetHistogramCount()),
                        MetricType.LongSum or MetricType.LongSumNonMonotonic => (point.GetSumLong(), 1L),
                        MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => (point.GetSumDouble(), 1L),
                        MetricType.LongGauge => (point.GetGaugeLastValueLong(), 1L),
                        MetricType.DoubleGauge => (point.GetGaugeLastValueDouble(), 1L),
                        _ => (double.NaN, 0L),
                    };
                    points.Enqueue(new ExportedPoint(metric.Name, value, count, tags));
                }
            }
            return ExportResult.Success;
        }
    }
}
