using System.Text.Json.Serialization;

namespace SkillForge.Agent.Llm;

/// <summary>
/// Source-generated JSON for the model's answer and the context summary it is shown. Reading is lenient about what
/// models commonly add (comments, trailing commas, odd casing); the shape itself is still checked.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(LlmTurnAnswer))]
[JsonSerializable(typeof(LlmSpecFields))]
[JsonSerializable(typeof(string))]
internal sealed partial class LlmJsonContext : JsonSerializerContext;
