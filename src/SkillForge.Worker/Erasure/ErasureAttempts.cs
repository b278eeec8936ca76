using SkillForge.Sessions;

namespace SkillForge.Worker.Erasure;

/// <summary>
/// What the attempts at one erasure request have erased so far. A retry — its answer's send timed out, or the cache
/// removal after the commit failed — finds nothing left to erase; without this, the request would be answered
/// "did not exist" although its first attempt erased the session. Kept on the delivery (its receive context), which
/// every retry attempt of the message shares.
/// </summary>
public sealed class ErasureAttempts
{
    public ErasureResult Erased { get; private set; } = new(false, 0);

    public void Add(ErasureResult attempt) =>
        Erased = new ErasureResult(Erased.Existed || attempt.Existed, Erased.MessagesDeleted + attempt.MessagesDeleted);
}
