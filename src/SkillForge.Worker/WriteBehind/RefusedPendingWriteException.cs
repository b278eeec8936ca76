using SkillForge.Sessions.Storage;

namespace SkillForge.Worker.WriteBehind;

/// <summary>
/// A queued write that does not hold together (<see cref="PendingWriteRules"/>). Not retried: it waits in
/// <c>skillforge-pending-writes_error</c> for a person, unapplied.
/// </summary>
public sealed class RefusedPendingWriteException(TurnToAppend turn, string problem)
    : Exception($"Queued turn {turn.TurnId} of session {turn.Key} was not applied: {problem}.")
{
    public string Problem { get; } = problem;
}
