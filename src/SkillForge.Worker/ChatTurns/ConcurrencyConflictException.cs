using SkillForge.Sessions.Storage;

namespace SkillForge.Worker.ChatTurns;

/// <summary>A turn lost the version race on every attempt: retried by the consumer's retry policy, then <c>_error</c>.</summary>
public sealed class ConcurrencyConflictException(SessionKey key, int attempts)
    : Exception($"Session {key} kept changing under the turn: {attempts} attempts lost the version race.")
{
    public SessionKey Key { get; } = key;
}
