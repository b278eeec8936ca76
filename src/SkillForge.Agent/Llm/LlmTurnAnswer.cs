namespace SkillForge.Agent.Llm;

/// <summary>The structured answer the model is asked for each turn (see <see cref="LlmPrompt"/>).</summary>
internal sealed record LlmTurnAnswer
{
    public string? Reply { get; init; }
    public string? NextState { get; init; }
    public string? Question { get; init; }
    public LlmSpecFields? Fields { get; init; }
}
