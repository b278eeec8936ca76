using SkillForge.Sessions.Storage;

namespace SkillForge.Worker.WriteBehind;

/// <summary>
/// A queued write no longer fits: PostgreSQL moved past the version the turn was answered at without it (a write
/// went around the queue — possible only when Redis lost the pending entry during the outage as well). Not retried:
/// the message waits in <c>skillforge-pending-writes_error</c> for an operator, with this explanation.
/// </summary>
public sealed class WriteBehindConflictException(SessionKey key, Guid turnId, long expectedVersion, long storedVersion, string storedStatus)
    : Exception($"Queued turn {turnId} of session {key} was answered at version {expectedVersion + 1}, but PostgreSQL holds version " +
                $"{storedVersion} ({storedStatus}) without it; it cannot be applied in order.")
{
    public SessionKey Key { get; } = key;
}
