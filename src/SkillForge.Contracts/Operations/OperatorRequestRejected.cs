namespace SkillForge.Contracts.Operations;

/// <summary>An operator request with bad input: <c>invalid_request</c> and what is wrong. Nothing was changed.</summary>
public sealed record OperatorRequestRejected(
    string Code,
    string Reason);
