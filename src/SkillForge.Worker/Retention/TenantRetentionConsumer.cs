using MassTransit;
using Microsoft.Extensions.Options;
using SkillForge.Contracts.Operations;
using SkillForge.Sessions.Retention;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Retention;

/// <summary>Sets, clears and shows a tenant's own retention periods: operator requests, acted on only when the operator's broker user sent them.</summary>
public sealed class TenantRetentionConsumer(
    TenantRetentionStore store,
    IOptions<RetentionPolicy> policy,
    SenderCheck senders,
    ISenderIdentity identities,
    TimeProvider clock,
    SendDeadline sends)
    : IConsumer<SetTenantRetention>, IConsumer<ClearTenantRetention>, IConsumer<GetTenantRetention>
{
    public async Task Consume(ConsumeContext<SetTenantRetention> context)
    {
        if (!await senders.AllowAsync(context, TrustedParties.Operator))
        {
            return;
        }
        var r = context.Message;
        await OperatorAnswers.RespondAsync(context, sends, "a retention answer", async () =>
            Show(r.TenantId, await store.SetAsync(r.TenantId, r.AbandonAfterIdle, r.DeleteCompletedAfter, r.DeleteAbandonedAfter, r.DeleteAuditAfter,
                OperatorAnswers.Actor(r.ChangedBy, identities.Of(context)), clock.GetUtcNow(), context.CancellationToken)));
    }

    public async Task Consume(ConsumeContext<ClearTenantRetention> context)
    {
        if (!await senders.AllowAsync(context, TrustedParties.Operator))
        {
            return;
        }
        var r = context.Message;
        await OperatorAnswers.RespondAsync(context, sends, "a retention answer", async () =>
        {
            await store.ClearAsync(r.TenantId, OperatorAnswers.Actor(r.ChangedBy, identities.Of(context)), clock.GetUtcNow(), context.CancellationToken);
            return Show(r.TenantId, null);
        });
    }

    public async Task Consume(ConsumeContext<GetTenantRetention> context)
    {
        if (!await senders.AllowAsync(context, TrustedParties.Operator))
        {
            return;
        }
        await OperatorAnswers.RespondAsync(context, sends, "a retention answer", async () =>
            Show(context.Message.TenantId, await store.GetAsync(context.Message.TenantId, context.CancellationToken)));
    }

    private TenantRetentionShown Show(string tenantId, TenantRetention? own)
    {
        var periods = own?.Apply(policy.Value) ?? new RetentionPeriods(policy.Value.AbandonAfterIdle, policy.Value.DeleteCompletedAfter,
            policy.Value.DeleteAbandonedAfter, policy.Value.DeleteAuditAfter);
        return new TenantRetentionShown(tenantId, periods.AbandonAfterIdle, periods.DeleteCompletedAfter, periods.DeleteAbandonedAfter,
            periods.DeleteAuditAfter, own is not null, own?.ChangedBy, own?.ChangedAt);
    }
}
