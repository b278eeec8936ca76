using MassTransit;

namespace SkillForge.Client;

/// <summary>
/// The broker refused the request: the worker's queue is at its length limit (RabbitMQ's <c>reject-publish</c>
/// overflow). Nothing was queued and nothing was applied; the worker is behind, so send it again after a while.
/// </summary>
public sealed class SkillForgeQueueFullException : RequestException
{
    /// <param name="message">What was refused, and what to do.</param>
    /// <param name="innerException">The refused publish as MassTransit reported it.</param>
    public SkillForgeQueueFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
