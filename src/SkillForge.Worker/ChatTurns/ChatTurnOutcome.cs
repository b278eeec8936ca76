using SkillForge.Contracts;
using SkillForge.Sessions.Storage;

namespace SkillForge.Worker.ChatTurns;

/// <summary>What the chat-turn consumer answers: exactly one of the two messages.</summary>
public sealed record ChatTurnOutcome(ChatTurnReplied? Replied, ChatTurnRejected? Rejected, Exception? Cause = null)
{
    public static ChatTurnOutcome Reply(ChatTurnReplied replied) => new(replied, null);

    public static ChatTurnOutcome Reject(ProcessChatTurn turn, string code, string reason, Exception? cause = null) =>
        new(null, new ChatTurnRejected(turn.TenantId ?? "", turn.SessionId ?? "", turn.TurnId, code, reason), cause);

    /// <summary>The answer to a turn just applied (or queued): the session as it now stands.</summary>
    public static ChatTurnOutcome Applied(StoredSession updated, TurnToAppend turn, bool resumed) =>
        Reply(new ChatTurnReplied(turn.Key.TenantId, turn.Key.SessionId, turn.TurnId, turn.Reply,
            updated.State, updated.Status, updated.Version, updated.MessageCount, resumed, Replayed: false));

    /// <summary>The answer to a resend of a turn applied before: its stored reply, nothing written.</summary>
    public static ChatTurnOutcome Replay(ProcessChatTurn turn, StoredSession session, StoredTurn stored, bool resumed) =>
        Reply(new ChatTurnReplied(turn.TenantId, turn.SessionId, turn.TurnId, stored.Reply, session.State, session.Status,
            stored.Version, stored.MessageCount, resumed, Replayed: true));
}
