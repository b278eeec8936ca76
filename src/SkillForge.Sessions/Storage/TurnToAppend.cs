namespace SkillForge.Sessions.Storage;

/// <summary>
/// One applied turn: the user's message, the assistant's reply, and the session's state afterwards. Named members
/// rather than positional ones, because several are strings of the same shape that a swap would not reveal.
/// </summary>
public sealed record TurnToAppend
{
    public required SessionKey Key { get; init; }

    public required Guid TurnId { get; init; }

    /// <summary>The version the turn was computed from (0 for a new session).</summary>
    public required long ExpectedVersion { get; init; }

    public required string UserText { get; init; }

    public required string Reply { get; init; }

    /// <summary>The agent state the turn started in, for the audit line of a state change.</summary>
    public required string PreviousState { get; init; }

    public required string State { get; init; }

    public required string Status { get; init; }

    public string? SkillName { get; init; }

    /// <summary>Where the completed skill was saved (an opaque name to the store); null leaves it as it is.</summary>
    public string? SkillLayer { get; init; }

    /// <summary>The turn's user: sets the session's owner if it has none yet; null leaves it as it is.</summary>
    public string? UserId { get; init; }

    public string? SkillDescription { get; init; }

    public required string ContextJson { get; init; }

    public required DateTimeOffset At { get; init; }
}
