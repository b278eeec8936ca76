using MassTransit;
using SkillForge.Contracts.Queues;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.WriteBehind;

/// <summary>Sends <see cref="PendingTurnWrite"/>s to their queue: durable, mandatory, and awaited until the broker confirms.</summary>
public sealed class WriteBehindQueue(IBus bus, SendDeadline sends)
{
    public const string Name = "skillforge-pending-writes";

    /// <summary>
    /// Returns once RabbitMQ has confirmed the write (publisher confirms are on by default); throws when
    /// it did not — unroutable included (mandatory), so a missing queue is an error, not a silent drop.
    /// </summary>
    public async Task SendAsync(PendingTurnWrite write, CancellationToken cancellationToken)
    {
        var endpoint = await bus.GetSendEndpoint(SkillForgeQueues.Address(Name));
        await sends.WithinAsync(endpoint.Send(write, context =>
        {
            context.Durable = true;
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.Mandatory = true;
            }
        }, cancellationToken), $"the queued write of turn {write.Turn.TurnId}");
    }
}
