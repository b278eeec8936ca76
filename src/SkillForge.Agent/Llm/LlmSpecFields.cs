namespace SkillForge.Agent.Llm;

/// <summary>Spec fields as the model reports them; null or absent means "not mentioned this turn".</summary>
internal sealed record LlmSpecFields
{
    public string? SkillName { get; init; }
    public string? Description { get; init; }
    public string? Purpose { get; init; }
    public IReadOnlyList<string>? Capabilities { get; init; }
    public IReadOnlyList<string>? Examples { get; init; }
    public IReadOnlyList<string>? WorkflowSteps { get; init; }
    public IReadOnlyList<string>? Triggers { get; init; }
    public IReadOnlyList<string>? ReferenceTopics { get; init; }
    public IReadOnlyList<string>? ScriptsNeeded { get; init; }
    public IReadOnlyList<string>? AllowedTools { get; init; }
    public string? StorageLayer { get; init; }
}
