namespace SkillForge.Contracts;

/// <summary>One change in a <see cref="SessionExport"/>: <c>created</c>, <c>state_changed</c> or <c>status_changed</c>.</summary>
public sealed record SessionEvent(
    string Kind,
    string? From,
    string? To,
    DateTimeOffset At);
