namespace SkillForge.Sessions.Storage;

/// <summary>A page of messages, oldest first, and the session it belongs to.</summary>
/// <param name="HasMore">Older messages exist before the first one of this page.</param>
public sealed record HistoryPage(StoredSession Session, IReadOnlyList<StoredMessage> Messages, bool HasMore);
