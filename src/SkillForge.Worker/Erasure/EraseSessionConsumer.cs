using MassTransit;
using SkillForge.Contracts;
using SkillForge.Sessions;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.Erasure;

/// <summary>Erases one session everywhere and answers how much was removed.</summary>
public sealed class EraseSessionConsumer(SessionEraser eraser, SendDeadline sends) : IConsumer<EraseSession>
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
        await sends.WithinAsync(context.RespondAsync(new SessionErased(request.TenantId ?? "", request.SessionId ?? "", result.Stored.Existed, result.Stored.MessagesDeleted)
            {
                CopiesDeleted = result.QueueCopies,
            }),
            "an erasure answer");
    }
}
