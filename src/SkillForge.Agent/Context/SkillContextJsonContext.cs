using System.Text.Json.Serialization;

namespace SkillForge.Agent.Context;

/// <summary>Source-generated JSON for the stored context: snake_case like the rest of the jsonb, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SkillContext))]
internal sealed partial class SkillContextJsonContext : JsonSerializerContext;
