using SkillForge.Sessions.Storage;

namespace SkillForge.Worker.WriteBehind;

/// <summary>
/// A turn that was answered while PostgreSQL was down: the append it still owes, on the durable quorum queue
/// <c>skillforge-pending-writes</c>, applied in version order once PostgreSQL is back. The worker's own
/// message, not part of the upstream contract.
/// </summary>
/// <param name="Turn">The append, computed from the session's cached version <see cref="TurnToAppend.ExpectedVersion"/>.</param>
/// <param name="Deferrals">How often it was sent to the back of the queue because its predecessor was not applied yet.</param>
public sealed record PendingTurnWrite(TurnToAppend Turn, int Deferrals = 0);
