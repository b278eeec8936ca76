using MassTransit;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Tests;

/// <summary>
/// The in-memory harness has no broker to vouch for a sender: messages count as sent by the user in the
/// <see cref="Header"/> header, else by the operator. Only tests register it; the worker reads the AMQP user_id.
/// </summary>
internal sealed class HarnessSenderIdentity : ISenderIdentity
{
    public const string Header = "X-Test-Broker-User";
    public const string DefaultSender = "skillforge-operator";

    public string? Of(ConsumeContext context) =>
        context.Headers.TryGetHeader(Header, out var sender) ? sender as string : DefaultSender;
}
