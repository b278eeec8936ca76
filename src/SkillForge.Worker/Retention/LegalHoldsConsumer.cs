using MassTransit;
using SkillForge.Contracts.Operations;
using SkillForge.Sessions.Retention;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Retention;

/// <summary>Places, releases and lists legal holds: operator requests, acted on only when the operator's broker user sent them.</summary>
public sealed class LegalHoldsConsumer(LegalHoldStore holds, SenderCheck senders, ISenderIdentity identities, TimeProvider clock, SendDeadline sends)
    : IConsumer<PlaceLegalHold>, IConsumer<ReleaseLegalHold>, IConsumer<ListLegalHolds>
{
    public async Task Consume(ConsumeContext<PlaceLegalHold> context)
    {
        if (!await senders.AllowAsync(context, TrustedParties.Operator))
        {
            return;
        }
        var request = context.Message;
        await OperatorAnswers.RespondAsync(context, sends, "a legal hold answer", async () =>
        {
            var (hold, placedNow) = await holds.PlaceAsync(request.TenantId, request.SessionId, request.UserId, request.Reason,
                OperatorAnswers.Actor(request.PlacedBy, identities.Of(context)), clock.GetUtcNow(), context.CancellationToken);
            return new LegalHoldPlaced(ToInfo(hold), placedNow);
        });
    }

    public async Task Consume(ConsumeContext<ReleaseLegalHold> context)
    {
        if (!await senders.AllowAsync(context, TrustedParties.Operator))
        {
            return;
        }
        var request = context.Message;
        await OperatorAnswers.RespondAsync(context, sends, "a legal hold answer", async () =>
        {
            var released = await holds.ReleaseAsync(request.TenantId, request.SessionId, request.UserId,
                OperatorAnswers.Actor(request.ReleasedBy, identities.Of(context)), clock.GetUtcNow(), context.CancellationToken);
            return new LegalHoldReleased(request.TenantId, released is null ? null : ToInfo(released));
        });
    }

    public async Task Consume(ConsumeContext<ListLegalHolds> context)
    {
        if (!await senders.AllowAsync(context, TrustedParties.Operator))
        {
            return;
        }
        await OperatorAnswers.RespondAsync(context, sends, "a legal hold listing", async () =>
            new LegalHoldList((await holds.ListAsync(context.Message.TenantId, context.Message.IncludeReleased, context.CancellationToken))
                .Select(ToInfo).ToList()));
    }

    private static LegalHoldInfo ToInfo(LegalHold h) =>
        new(h.Id, h.TenantId, h.SessionId, h.UserId, h.Reason, h.PlacedBy, h.PlacedAt, h.ReleasedBy, h.ReleasedAt);
}
