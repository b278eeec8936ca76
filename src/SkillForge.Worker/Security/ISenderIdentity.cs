using MassTransit;

namespace SkillForge.Worker.Security;

/// <summary>Tells who sent a message, as the transport vouches for it.</summary>
public interface ISenderIdentity
{
    /// <summary>The sender's validated identity, or null when the transport vouches for none.</summary>
    string? Of(ConsumeContext context);
}
