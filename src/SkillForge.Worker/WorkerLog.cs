namespace SkillForge.Worker;

/// <summary>The worker's log lines (source-generated). Message text never appears above Debug.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Turn {TurnId} of session {TenantId}/{SessionId} lost a version race (attempt {Attempt}); reloading")]
    public static partial void VersionConflict(ILogger logger, string tenantId, string sessionId, Guid turnId, int attempt);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "Turn {TurnId} of {TenantId}/{SessionId}: {Outcome} state={State} version={Version} resumed={Resumed} replayed={Replayed} in {ElapsedMs:F1} ms")]
    public static partial void TurnReplied(ILogger logger, Guid turnId, string tenantId, string sessionId, string outcome, string state,
        long version, bool resumed, bool replayed, double elapsedMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Turn {TurnId} of {TenantId}/{SessionId} rejected: {Code} in {ElapsedMs:F1} ms")]
    public static partial void TurnRejected(ILogger logger, Guid turnId, string tenantId, string sessionId, string code, double elapsedMs);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error,
        Message = "Session {TenantId}/{SessionId} is corrupt; turn {TurnId} was rejected")]
    public static partial void CorruptSession(ILogger logger, Exception exception, string tenantId, string sessionId, Guid turnId);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information,
        Message = "Session {TenantId}/{SessionId} erased: existed={Existed} messages={MessagesDeleted} queued copies={QueueCopies}")]
    public static partial void SessionErased(ILogger logger, string tenantId, string sessionId, bool existed, int messagesDeleted, int queueCopies);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information,
        Message = "A user's sessions in tenant {TenantId} erased: sessions={SessionsErased} messages={MessagesDeleted} queued copies={QueueCopies}")]
    public static partial void UserErased(ILogger logger, string tenantId, int sessionsErased, long messagesDeleted, int queueCopies);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning,
        Message = "A user's erasure in tenant {TenantId} was refused: a legal hold covers the user or one of their sessions ({ErasedBefore} sessions erased before the hold was found, {QueueCopies} of their queued copies removed)")]
    public static partial void UserErasureRefused(ILogger logger, string tenantId, int erasedBefore, int queueCopies);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Asked Redis {Server} to rewrite its append-only file after erasures")]
    public static partial void AofRewriteRequested(ILogger logger, string server);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Redis {Server} did not begin an append-only file rewrite ({Reason}); asking again at the next interval")]
    public static partial void AofRewriteFailed(ILogger logger, string server, string reason);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information,
        Message = "Cleanup as of {AsOf:o} (dry run: {DryRun}): {MarkedAbandoned} marked abandoned, {DeletedSessions} sessions and {DeletedMessages} messages deleted, {DeletedAuditLines} audit lines past retention deleted, {KeptByHold} sessions kept by a legal hold, in {ElapsedMs:F0} ms")]
    public static partial void CleanupFinished(ILogger logger, DateTimeOffset asOf, bool dryRun, int markedAbandoned, int deletedSessions,
        long deletedMessages, long deletedAuditLines, int keptByHold, double elapsedMs);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Information, Message = "Cleanup tick {Tick:o} claimed; CleanupSessions sent")]
    public static partial void CleanupScheduled(ILogger logger, DateTimeOffset tick);

    [LoggerMessage(EventId = 2023, Level = LogLevel.Information, Message = "Cleanup tick {Tick:o} is claimed by another instance (or was sent); left to it")]
    public static partial void CleanupTickLeft(ILogger logger, DateTimeOffset tick);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Cleanup schedule could not claim or send its tick; trying again")]
    public static partial void CleanupScheduleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning,
        Message = "Turn {TurnId} of {TenantId}/{SessionId} failed; the endpoint's retry policy takes it from here")]
    public static partial void TurnFailed(ILogger logger, Exception exception, Guid turnId, string tenantId, string sessionId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning,
        Message = "PostgreSQL unavailable for turn {TurnId} of {TenantId}/{SessionId}; trying again in {PauseMs} ms ({Error})")]
    public static partial void StoreUnavailable(ILogger logger, string tenantId, string sessionId, Guid turnId, double pauseMs, string error);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Error,
        Message = "{MessageType} {MessageId} of {TenantId}/{SessionId} failed for good ({ExceptionType}); it goes to {Queue}_error")]
    public static partial void MessageFaulted(ILogger logger, Exception exception, string messageType, Guid? messageId, string? tenantId,
        string? sessionId, string queue, string exceptionType);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Warning,
        Message = "PostgreSQL unavailable: turn {TurnId} of {TenantId}/{SessionId} answered from the cache at version {Version}; its write is queued (write-behind)")]
    public static partial void WriteBehindQueued(ILogger logger, Guid turnId, string tenantId, string sessionId, long version);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Information,
        Message = "Queued turn {TurnId} of {TenantId}/{SessionId} applied to PostgreSQL at version {Version}")]
    public static partial void WriteBehindApplied(ILogger logger, Guid turnId, string tenantId, string sessionId, long version);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning,
        Message = "PostgreSQL unavailable: queued turn {TurnId} of {TenantId}/{SessionId} waits {PauseMs} ms ({Error})")]
    public static partial void WriteBehindWaiting(ILogger logger, Guid turnId, string tenantId, string sessionId, double pauseMs, string error);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Information,
        Message = "Queued turn {TurnId} of {TenantId}/{SessionId} dropped: the session was erased or purged after it was answered")]
    public static partial void WriteBehindDropped(ILogger logger, Guid turnId, string tenantId, string sessionId);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Warning,
        Message = "Sending {What} did not complete within {Timeout}; given up (the message is retried)")]
    public static partial void SendTimedOut(ILogger logger, string what, TimeSpan timeout);

    [LoggerMessage(EventId = 2050, Level = LogLevel.Warning,
        Message = "Refused {MessageType} {MessageId}: {Reason} ({Detail}); dropped with nothing changed")]
    public static partial void MessageRefused(ILogger logger, string messageType, Guid? messageId, string reason, string detail);
}
