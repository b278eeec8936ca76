using SkillForge.Contracts;

namespace SkillForge.Client;

/// <summary>An erasure's answer: what was erased, or (<see cref="Refused"/>) that a legal hold keeps it and nothing was erased.</summary>
public sealed record ErasureResult<TErased>(TErased? Erased, ErasureRefused? Refused)
    where TErased : class
{
    /// <summary>True when a legal hold kept the data and nothing was erased.</summary>
    public bool WasRefused => Refused is not null;
}
