namespace SkillForge.Contracts;

/// <summary>A cleanup run finished.</summary>
public sealed record SessionsCleanedUp(
    DateTimeOffset AsOf,
    bool DryRun,
    int MarkedAbandoned,
    int DeletedSessions,
    long DeletedMessages,
    TimeSpan Duration)
{
    /// <summary>Sessions past their retention that a legal hold kept from the purge.</summary>
    public int KeptByHold { get; init; }
}
