namespace SkillForge.Sessions.Storage;

/// <summary>
/// What a session looks like once a turn is applied, computed from the session before it rather than read back, and
/// how a turn's id is found among the recent messages. Both rest on the storage's numbering: turn <em>n</em> holds
/// message <c>2n−1</c> (the user's) and <c>2n</c> (the assistant's), and the version counts turns.
/// </summary>
public static class SessionAfterTurn
{
    /// <summary>The stored answer of <paramref name="turnId"/> if it is among the session's recent messages.</summary>
    public static StoredTurn? FindRecentTurn(StoredSession session, Guid turnId) =>
        session.RecentMessages.FirstOrDefault(m => m.TurnId == turnId && m.Role == MessageRole.Assistant) is { } reply
            ? new StoredTurn(turnId, reply.Content, Version: reply.Seq / 2, MessageCount: (int)reply.Seq)
            : null;

    /// <summary>The session once <paramref name="turn"/> is committed, at the version and count the append reported.</summary>
    public static StoredSession Appended(StoredSession? before, TurnToAppend turn, AppendResult append, int windowSize) =>
        Project(before, turn, append.Version, append.MessageCount, windowSize);

    /// <summary>The session once <paramref name="turn"/> is taken as the next version ahead of PostgreSQL (write-behind).</summary>
    public static StoredSession Queued(StoredSession before, TurnToAppend turn, int windowSize) =>
        Project(before, turn, before.Version + 1, before.MessageCount + 2, windowSize);

    private static StoredSession Project(StoredSession? before, TurnToAppend turn, long version, int messageCount, int windowSize)
    {
        var window = new List<StoredMessage>(windowSize + 2);
        if (before is not null)
        {
            window.AddRange(before.RecentMessages);
        }
        window.Add(new StoredMessage(messageCount - 1, MessageRole.User, turn.UserText, turn.TurnId, turn.At));
        window.Add(new StoredMessage(messageCount, MessageRole.Assistant, turn.Reply, turn.TurnId, turn.At));
        if (window.Count > windowSize)
        {
            window = window.GetRange(window.Count - windowSize, windowSize);
        }
        return new StoredSession(turn.Key, turn.State, turn.Status, turn.SkillName ?? before?.SkillName, turn.ContextJson,
            version, messageCount, before?.CreatedAt ?? turn.At, turn.At, window)
        { UserId = before?.UserId ?? turn.UserId };
    }
}
