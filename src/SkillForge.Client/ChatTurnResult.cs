using SkillForge.Contracts;

namespace SkillForge.Client;

/// <summary>The answer to a chat turn: exactly one of <see cref="Replied"/> or <see cref="Rejected"/> is set.</summary>
public sealed record ChatTurnResult(ChatTurnReplied? Replied, ChatTurnRejected? Rejected)
{
    /// <summary>True when the worker answered the turn (<see cref="Replied"/> is set).</summary>
    public bool IsReplied => Replied is not null;
}
