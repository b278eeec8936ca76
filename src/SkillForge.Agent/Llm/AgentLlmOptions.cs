namespace SkillForge.Agent.Llm;

/// <summary>
/// The optional language model, bound from <c>Agent:Llm</c>. With both <see cref="Endpoint"/> and <see cref="Model"/>
/// set the agent talks to that OpenAI-compatible endpoint (local ones included); otherwise it runs the offline
/// interview. The key usually comes from the environment: <c>Agent__Llm__ApiKey</c>.
/// </summary>
public sealed class AgentLlmOptions
{
    public const string Section = "Agent:Llm";

    /// <summary>Base address of an OpenAI-compatible API, e.g. <c>https://api.openai.com/v1</c> or <c>http://127.0.0.1:11434/v1</c>.</summary>
    public string? Endpoint { get; set; }

    public string? Model { get; set; }

    /// <summary>Optional: local servers often need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one model call may take before the turn falls back to <c>gathering_details</c>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most this many of the latest stored messages go to the model, whatever window the worker passes.</summary>
    public int WindowMessages { get; set; } = 20;

    public float Temperature { get; set; } = 0.2f;

    public int MaxOutputTokens { get; set; } = 2048;

    /// <summary>
    /// How many times one turn may call the model, whatever its version races and retries: past that the turn is
    /// computed by the offline interview, so a stuck session cannot multiply the model's bill.
    /// </summary>
    public int MaxCallsPerTurn { get; set; } = 2;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(Model);
}
