namespace SkillForge.Agent.Llm;

/// <summary>The model gave nothing usable: the call failed or timed out, or its output was empty or not the JSON asked for.</summary>
public sealed class LlmResponseException(string message, Exception? innerException = null) : Exception(message, innerException);
