using Microsoft.Extensions.Logging;

namespace SkillForge.Sessions.Retention;

internal static partial class RetentionLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Cleanup batch: {Count} sessions marked abandoned ({Total} so far)")]
    public static partial void BatchAbandoned(ILogger logger, int count, int total);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Cleanup batch: {Count} sessions and {Messages} messages purged ({Total} sessions so far)")]
    public static partial void BatchPurged(ILogger logger, int count, long messages, int total);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Debug, Message = "Cleanup batch: {Count} audit lines past retention deleted ({Total} so far)")]
    public static partial void BatchAuditPurged(ILogger logger, int count, long total);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information,
        Message = "Cleanup paced itself by {Signal}: {BaselineMs:F2} ms before the run (target {TargetMs:F2} ms), {Batches} batches " +
                  "(narrowest {NarrowestBatch} rows), backed off {BackOffs} times, {NotCured} times chat suffered that resting had not cured, rested {PausedSeconds:F2} s")]
    public static partial void Paced(ILogger logger, PaceSignal signal, double baselineMs, double targetMs, int batches, int backOffs, int notCured,
        double pausedSeconds, int narrowestBatch);
}
