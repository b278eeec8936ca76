using MassTransit;
using SkillForge.Contracts;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Erasure;

/// <summary>
/// Erases one session, or every session of a user within the tenant, everywhere and answers how much was removed, or
/// that a legal hold keeps it. Both are upstream requests: the upstream service decides who its user is.
/// </summary>
public sealed class ErasureConsumer(SessionEraser eraser, SendDeadline sends) : IConsumer<EraseSession>, IConsumer<EraseUser>
{
    public async Task Consume(ConsumeContext<EraseSession> context)
    {
        var request = context.Message;
        (ErasureResult Stored, int QueueCopies) result;
        try
        {
            // The same on a retry and on a redelivery: a request client's request id, else the message's id.
            var requestId = context.RequestId ?? context.MessageId;
            result = await eraser.EraseAsync(new SessionKey(request.TenantId, request.SessionId), request.Reason, requestId, context.CancellationToken);
        }
        catch (InvalidSessionInputException)
        {
            // Ids that break the rules can name no stored session: there is nothing to erase.
            result = (new ErasureResult(false, 0, false), 0);
        }
        if (result.Stored.IsHeld)
        {
            await sends.WithinAsync(context.RespondAsync(new ErasureRefused(request.TenantId, request.SessionId, null, ErasureRefused.LegalHold,
                "A legal hold covers this session (on it, its user or its tenant); it is erased once the hold is released.")), "an erasure answer");
            return;
        }
        await sends.WithinAsync(context.RespondAsync(new SessionErased(request.TenantId ?? "", request.SessionId ?? "", result.Stored.Existed, result.Stored.MessagesDeleted)
        {
            CopiesDeleted = result.QueueCopies,
        }),
            "an erasure answer");
    }

    public async Task Consume(ConsumeContext<EraseUser> context)
    {
        var request = context.Message;
        (int SessionsErased, long MessagesDeleted, int QueueCopies)? erased;
        try
        {
            // The same on a retry and on a redelivery, so a redelivered request answers what it erased before.
            var requestId = context.RequestId ?? context.MessageId ?? NewId.NextGuid();
            erased = await eraser.EraseUserAsync(request.TenantId, request.UserId, request.Reason, requestId, context.CancellationToken);
        }
        catch (InvalidSessionInputException)
        {
            // Ids that break the rules can own no stored session: there is nothing to erase.
            erased = (0, 0, 0);
        }
        if (erased is not { } done)
        {
            await sends.WithinAsync(context.RespondAsync(new ErasureRefused(request.TenantId, null, request.UserId, ErasureRefused.LegalHold,
                "A legal hold covers this user, one of their sessions or the tenant; the user is erased once the hold is released.")), "an erasure answer");
            return;
        }
        await sends.WithinAsync(context.RespondAsync(new UserErased(request.TenantId ?? "", request.UserId ?? "", done.SessionsErased, done.MessagesDeleted)
        {
            CopiesDeleted = done.QueueCopies,
        }), "an erasure answer");
    }
}
