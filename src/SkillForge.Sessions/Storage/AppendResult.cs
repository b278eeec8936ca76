namespace SkillForge.Sessions.Storage;

/// <summary>What <see cref="SessionStore.AppendTurnAsync"/> did.</summary>
public enum AppendOutcome
{
    /// <summary>Both messages and the new session state were committed.</summary>
    Appended,

    /// <summary>The session's version moved on (or it closed, or it appeared): reload and compute again.</summary>
    Conflict,

    /// <summary>This turn id was applied before; nothing was written. <see cref="AppendResult.StoredTurn"/> holds it.</summary>
    AlreadyApplied,
}

/// <summary>The outcome of an append, with the session's version and message count after it.</summary>
public sealed record AppendResult(AppendOutcome Outcome, long Version, int MessageCount, StoredTurn? StoredTurn = null)
{
    public static AppendResult Conflict { get; } = new(AppendOutcome.Conflict, 0, 0);
}
