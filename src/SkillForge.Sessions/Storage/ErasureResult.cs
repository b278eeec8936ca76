namespace SkillForge.Sessions.Storage;

/// <summary>What an erasure request removed, over all its attempts.</summary>
/// <param name="Existed">A session with these ids existed when the request erased it.</param>
/// <param name="MessagesDeleted">How many messages the request deleted.</param>
/// <param name="RemovedNow">This attempt deleted the session (false for one that found nothing left).</param>
public sealed record ErasureResult(bool Existed, int MessagesDeleted, bool RemovedNow)
{
    /// <summary>A legal hold covers the session: nothing was erased.</summary>
    public static readonly ErasureResult Held = new(false, 0, false) { IsHeld = true };

    public bool IsHeld { get; private init; }
}
