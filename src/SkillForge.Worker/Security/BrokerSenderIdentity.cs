using MassTransit;
using SkillForge.Broker;

namespace SkillForge.Worker.Security;

/// <summary>
/// The AMQP <c>user_id</c> property: RabbitMQ refuses a publish whose <c>user_id</c> is not the connection's user, so
/// it cannot be forged by anyone without that user's password. Message headers and the envelope can be, and are never read.
/// </summary>
public sealed class BrokerSenderIdentity : ISenderIdentity
{
    public string? Of(ConsumeContext context) => BrokerConnection.SenderOf(context.ReceiveContext);
}
