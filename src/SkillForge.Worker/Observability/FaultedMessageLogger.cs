using MassTransit;
using SkillForge.Contracts;

namespace SkillForge.Worker.Observability;

/// <summary>
/// One Error line, with the message's ids, for each message whose consumer gave up: the endpoint's retries are
/// spent (or the fault was not transient) and MassTransit moves the message to the queue's <c>_error</c> queue,
/// where <c>skillforge redrive</c> finds it. MassTransit calls a consume observer's fault once, after the retries,
/// not per attempt; the per-attempt warnings are the consumers' own.
/// </summary>
public sealed class FaultedMessageLogger(ILogger<FaultedMessageLogger> logger) : IConsumeObserver
{
    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        var (tenant, session) = context.Message switch
        {
            ProcessChatTurn m => (m.TenantId, m.SessionId),
            GetSessionHistory m => (m.TenantId, m.SessionId),
            EraseSession m => (m.TenantId, m.SessionId),
            WriteBehind.PendingTurnWrite m => (m.Turn.Key.TenantId, m.Turn.Key.SessionId),
            _ => (null, null),
        };
        // A message can fault before its ids are validated: control characters (CR, LF, ANSI) are shown, not written.
        WorkerLog.MessageFaulted(logger, exception, typeof(T).Name, context.MessageId,
            tenant is null ? null : Security.LogText.Escape(tenant), session is null ? null : Security.LogText.Escape(session),
            context.ReceiveContext.InputAddress?.AbsolutePath.TrimStart('/') ?? "?", exception.GetType().Name);
        return Task.CompletedTask;
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;
}
