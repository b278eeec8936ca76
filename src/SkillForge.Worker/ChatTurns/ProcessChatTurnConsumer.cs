using System.Diagnostics;
using MassTransit;
using SkillForge.Contracts;
using SkillForge.Sessions.Retention;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.ChatTurns;

/// <summary>Thin: hands the turn to <see cref="ChatTurnHandler"/> and answers with its outcome.</summary>
public sealed class ProcessChatTurnConsumer(ChatTurnHandler handler, SendDeadline sends, SkillForgeMetrics metrics, ChatLatencies chat,
    ILogger<ProcessChatTurnConsumer> logger) : IConsumer<ProcessChatTurn>
{
    public async Task Consume(ConsumeContext<ProcessChatTurn> context)
    {
        var turn = context.Message;
        // Ids reach the logs before they are validated: control characters (CR, LF, ANSI) are shown, not written.
        var (tenant, session) = (LogText.Escape(turn.TenantId ?? ""), LogText.Escape(turn.SessionId ?? ""));
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["TenantId"] = tenant,
            ["SessionId"] = session,
            ["TurnId"] = turn.TurnId,
            ["MessageId"] = context.MessageId,
        });
        using var span = TurnSpans.Start("chat turn", turn.TenantId, turn.SessionId, turn.TurnId);
        var started = Stopwatch.GetTimestamp();
        ChatTurnOutcome outcome;
        try
        {
            outcome = await handler.HandleAsync(turn, context.CancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Retried by the endpoint's policy; the last failure lands in skillforge-chat-turns_error.
            span.Fail(e);
            metrics.TurnFailed(Stopwatch.GetElapsedTime(started).TotalSeconds);
            WorkerLog.TurnFailed(logger, e, turn.TurnId, tenant, session);
            throw;
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        if (outcome.Replied is { } replied)
        {
            WorkerLog.TurnReplied(logger, turn.TurnId, tenant, session, "replied", replied.State, replied.Version,
                replied.Resumed, replied.Replayed, elapsed);
            metrics.TurnReplied(elapsed / 1000, replied.Replayed);
            await sends.WithinAsync(context.RespondAsync(replied), $"the reply to turn {turn.TurnId}");
            // The turn as far as this worker can see it, answer sent: what the cleanup paces itself by.
            chat.Record(started);
            return;
        }

        var rejected = outcome.Rejected!;
        span.Fail(rejected.Code);
        if (outcome.Cause is not null)
        {
            WorkerLog.CorruptSession(logger, outcome.Cause, tenant, session, turn.TurnId);
        }
        WorkerLog.TurnRejected(logger, turn.TurnId, tenant, session, rejected.Code, elapsed);
        metrics.TurnRejected(elapsed / 1000, rejected.Code);
        await sends.WithinAsync(context.RespondAsync(rejected), $"the rejection of turn {turn.TurnId}");
        chat.Record(started);
    }
}
