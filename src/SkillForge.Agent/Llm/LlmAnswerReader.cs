using System.Text.Json;

namespace SkillForge.Agent.Llm;

/// <summary>
/// Reads the model's text as a <see cref="LlmTurnAnswer"/>, cleaned and capped by <see cref="ModelOutput"/>; anything
/// unusable is an <see cref="LlmResponseException"/>.
/// </summary>
internal static class LlmAnswerReader
{
    public static LlmTurnAnswer Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new LlmResponseException("The language model returned an empty answer.");
        }
        // Models often wrap JSON in a Markdown fence or a sentence despite being asked not to: take the outermost object.
        var start = text.IndexOf('{');
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            throw new LlmResponseException("The language model's answer contains no JSON object.");
        }
        LlmTurnAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize(text.AsSpan(start, end - start + 1), LlmJsonContext.Default.LlmTurnAnswer);
            answer = answer is null ? null : ModelOutput.Clean(answer);
        }
        catch (JsonException e)
        {
            throw new LlmResponseException($"The language model's answer is not the JSON asked for: {e.Message}", e);
        }
        if (answer is null || string.IsNullOrWhiteSpace(answer.Reply))
        {
            throw new LlmResponseException("The language model's answer has no reply for the user.");
        }
        return answer;
    }
}
