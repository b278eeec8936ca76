using System.Text.Json;

namespace SkillForge.Agent.Context;

/// <summary>
/// The context as a jsonb-ready document. Forward compatible: unknown fields survive a round trip, missing fields
/// (and explicit nulls) take their defaults, and <c>schema_version</c> never goes down, so a row written by a newer
/// agent and re-saved by an older one still says what it holds.
/// </summary>
public static class SkillContextSerializer
{
    public static string Serialize(SkillContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var versioned = context with { SchemaVersion = Math.Max(context.SchemaVersion, SkillContext.CurrentSchemaVersion) };
        return JsonSerializer.Serialize(versioned, SkillContextJsonContext.Default.SkillContext);
    }

    /// <exception cref="SkillContextFormatException">The text is not a JSON object of the context's shape.</exception>
    public static SkillContext Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SkillContext? context;
        try
        {
            context = JsonSerializer.Deserialize(json, SkillContextJsonContext.Default.SkillContext);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new SkillContextFormatException($"The stored agent context is not readable as schema version {SkillContext.CurrentSchemaVersion}: {e.Message}", e);
        }
        return context is null
            ? throw new SkillContextFormatException("The stored agent context is JSON null; expected an object.")
            : WithDefaults(context);
    }

    /// <summary>An explicit null (or a null item) in the JSON would otherwise break the non-null promises of the model.</summary>
    private static SkillContext WithDefaults(SkillContext c) => SpecLists.MapContext(c, Clean) with
    {
        SchemaVersion = c.SchemaVersion <= 0 ? 1 : c.SchemaVersion,
        GeneratedResources = c.GeneratedResources is null ? [] : [.. c.GeneratedResources.Where(r => r is { Path: not null, Content: not null })],
        ValidationErrors = Clean(c.ValidationErrors),
        AskedQuestions = Clean(c.AskedQuestions),
        InferredFields = Clean(c.InferredFields),
        OfferedSkill = c.OfferedSkill is { Name: not null, Description: not null } ? c.OfferedSkill : null,
    };

    private static IReadOnlyList<string> Clean(IReadOnlyList<string>? items) =>
        items is null ? [] : items.Any(i => i is null) ? [.. items.Where(i => i is not null)] : items;
}
