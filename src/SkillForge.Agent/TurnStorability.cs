using System.Text.Json;
using SkillForge.Agent.Context;

namespace SkillForge.Agent;

/// <summary>
/// Whether a turn's result can be stored as it is: PostgreSQL takes no NUL and no unpaired surrogate in text or
/// jsonb, and a context past <see cref="MaxContextChars"/> would make every later turn of the session pay for it.
/// <see cref="SkillAgent"/> sends a result that fails here down the recovery path instead of letting the append fail.
/// </summary>
internal static class TurnStorability
{
    public const int MaxContextChars = 256 * 1024;

    /// <summary>What makes <paramref name="result"/> unstorable, or null when it is fine.</summary>
    public static string? Problem(AgentTurnResult result)
    {
        if (!IsStorable(result.Reply))
        {
            return "The reply holds a NUL character or an unpaired surrogate.";
        }
        var json = SkillContextSerializer.Serialize(result.Context);
        if (json.Length > MaxContextChars)
        {
            return $"The context would take {json.Length} characters (at most {MaxContextChars}).";
        }
        using var document = JsonDocument.Parse(json);
        return AllStrings(document.RootElement).All(IsStorable) ? null : "The context holds a NUL character or an unpaired surrogate.";
    }

    private static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0')
            {
                return false;
            }
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<string> AllStrings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(AllStrings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => AllStrings(p.Value)),
        _ => [],
    };
}
