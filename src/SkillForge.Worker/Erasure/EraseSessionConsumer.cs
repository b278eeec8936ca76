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
        ErasureResult result;
        try
        {
            // On the receive context: a retry's consume context is a new scope, the delivery is the same.
            var attempts = context.ReceiveContext.GetOrAddPayload(() => new ErasureAttempts());
            result = await eraser.EraseAsync(new SessionKey(request.TenantId, request.SessionId), request.Reason, attempts, context.CancellationToken);
        }
        catch (InvalidSessionInputException)
        {
            // Ids that break the rules can name no stored session: there is nothing to erase.
            result = new ErasureResult(false, 0);
        }
        await sends.WithinAsync(context.RespondAsync(new SessionErased(request.TenantId ?? "", request.SessionId ?? "", result.Existed, result.MessagesDeleted)),
            "an erasure answer");
    }
}
