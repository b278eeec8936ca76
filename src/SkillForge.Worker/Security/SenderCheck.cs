using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Broker;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Security;

/// <summary>
/// Acts on an operator or internal message only when the broker vouches that a trusted party sent it. Everything
/// else is logged, counted, audited and dropped: the consumer returns normally, so the message is neither retried
/// nor kept in an <c>_error</c> queue, and nothing is changed.
/// </summary>
public sealed class SenderCheck(
    ISenderIdentity senders,
    RefusalAudit audit,
    IOptions<SecurityOptions> security,
    IOptions<RabbitMqOptions> rabbit,
    SkillForgeMetrics metrics,
    ILogger<SenderCheck> logger)
{
    public const string UntrustedSender = "untrusted_sender";

    private readonly HashSet<string> _operators = new(security.Value.OperatorUsers, StringComparer.Ordinal);
    private readonly string _worker = rabbit.Value.Username;

    /// <summary>True when one of <paramref name="allowed"/> sent the message; otherwise it is refused and false returned.</summary>
    public async Task<bool> AllowAsync<T>(ConsumeContext<T> context, TrustedParties allowed)
        where T : class
    {
        var sender = senders.Of(context);
        var trusted = sender is not null
            && ((allowed.HasFlag(TrustedParties.Operator) && _operators.Contains(sender))
                || (allowed.HasFlag(TrustedParties.Worker) && sender == _worker));
        if (!trusted)
        {
            await RefuseAsync(context, UntrustedSender, $"sent by {(sender is null ? "an unidentified sender" : LogText.Escape(sender))}");
        }
        return trusted;
    }

    /// <summary>Logs, counts and audits a refusal of <paramref name="context"/>'s message for <paramref name="reason"/> (a code).</summary>
    public async Task RefuseAsync<T>(ConsumeContext<T> context, string reason, string detail)
        where T : class
    {
        var sender = senders.Of(context);
        var type = typeof(T).Name;
        WorkerLog.MessageRefused(logger, type, context.MessageId, reason, detail);
        metrics.Refused(type, reason);
        await audit.RecordAsync(type, context.MessageId, sender, reason, context.CancellationToken);
    }
}
