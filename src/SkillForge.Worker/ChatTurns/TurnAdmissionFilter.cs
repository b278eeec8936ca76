using MassTransit;
using SkillForge.Contracts;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Turns of one session one at a time, in arrival order (<see cref="TurnAdmission"/>'s line for the session); a turn it
/// refuses is answered at once (<c>session_busy</c> or <c>rate_limited</c>) and writes nothing, instead of waiting in
/// a slot other sessions need.
/// </summary>
public sealed class TurnAdmissionFilter(TurnAdmission admission, SendDeadline sends, SkillForgeMetrics metrics, ILogger<TurnAdmissionFilter> logger)
    : IFilter<ConsumeContext<ProcessChatTurn>>
{
    public async Task Send(ConsumeContext<ProcessChatTurn> context, IPipe<ConsumeContext<ProcessChatTurn>> next)
    {
        var turn = context.Message;
        using var admitted = admission.Admit(turn.TenantId ?? "", turn.SessionId ?? "");
        if (admitted.Code is not { } code)
        {
            // The wait for the session's line is a span of its own: a trace shows a turn held up behind its session's others.
            using (TurnSpans.Start("turn admission", turn.TenantId, turn.SessionId, turn.TurnId))
            {
                await admitted.WaitForTurnAsync(context.CancellationToken);
            }
            await next.Send(context);
            return;
        }
        using var span = TurnSpans.Start("turn admission", turn.TenantId, turn.SessionId, turn.TurnId);
        span.Fail(code);
        WorkerLog.TurnRejected(logger, turn.TurnId, LogText.Escape(turn.TenantId ?? ""), LogText.Escape(turn.SessionId ?? ""), code, 0);
        metrics.TurnRejected(0, code);
        await sends.WithinAsync(context.RespondAsync(new ChatTurnRejected(turn.TenantId ?? "", turn.SessionId ?? "", turn.TurnId, code, admitted.Reason!)),
            $"the {code} answer to turn {turn.TurnId}");
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("turn-admission");
}
