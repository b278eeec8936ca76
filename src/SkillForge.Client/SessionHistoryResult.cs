using SkillForge.Contracts;

namespace SkillForge.Client;

/// <summary>A page of history, or null <see cref="History"/> when the session does not exist.</summary>
public sealed record SessionHistoryResult(SessionHistory? History)
{
    /// <summary>True when the session exists (<see cref="History"/> is set).</summary>
    public bool Found => History is not null;
}
