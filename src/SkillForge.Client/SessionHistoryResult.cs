using SkillForge.Contracts;

namespace SkillForge.Client;

/// <summary>A page of history, or null <see cref="History"/> when the session does not exist.</summary>
public sealed record SessionHistoryResult(SessionHistory? History)
{
    public bool Found => History is not null;
}
