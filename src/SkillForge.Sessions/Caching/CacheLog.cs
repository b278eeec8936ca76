using Microsoft.Extensions.Logging;

namespace SkillForge.Sessions.Caching;

internal static partial class CacheLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Redis {Operation} failed; the session cache is bypassed for {BreakDuration} ({ExceptionType}: {Error})")]
    public static partial void CacheFailed(ILogger logger, string operation, TimeSpan breakDuration, string exceptionType, string error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Cached entry of session {TenantId}/{SessionId} is unreadable and was dropped: {Error}")]
    public static partial void UnreadableEntry(ILogger logger, string tenantId, string sessionId, string error);
}
