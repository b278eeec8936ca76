using SkillForge.Contracts;

namespace SkillForge.Worker.ChatTurns;

/// <summary>What the chat-turn consumer answers: exactly one of the two messages.</summary>
public sealed record ChatTurnOutcome(ChatTurnReplied? Replied, ChatTurnRejected? Rejected, Exception? Cause = null)
{
    public static ChatTurnOutcome Reply(ChatTurnReplied replied) => new(replied, null);

    public static ChatTurnOutcome Reject(ProcessChatTurn turn, string code, string reason, Exception? cause = null) =>
        new(null, new ChatTurnRejected(turn.TenantId ?? "", turn.SessionId ?? "", turn.TurnId, code, reason), cause);
}
