using System.Text;
using SkillForge.Agent.Context;

namespace SkillForge.Agent.Llm;

/// <summary>
/// The model's answer is untrusted input like the user's text: before anything of it reaches the context it loses
/// control characters (NUL included: PostgreSQL cannot store it) and broken surrogate pairs, and every field and
/// list is capped, so no answer can make a session unstorable or grow it without bound.
/// </summary>
internal static class ModelOutput
{
    public const int MaxReplyLength = 4_000;
    public const int MaxFieldLength = 1_024;
    public const int MaxListItems = 20;
    public const int MaxListItemLength = 300;
    public const int MaxQuestionLength = 300;
    public const int MaxStateNameLength = 64;
    public const int MaxAskedQuestions = 50;

    /// <summary>The answer with every string cleaned and capped; lists cut to <see cref="MaxListItems"/>.</summary>
    public static LlmTurnAnswer Clean(LlmTurnAnswer answer)
    {
        var f = answer.Fields;
        return answer with
        {
            Reply = Text(answer.Reply, MaxReplyLength, keepLineBreaks: true),
            NextState = Text(answer.NextState, MaxStateNameLength),
            Question = Text(answer.Question, MaxQuestionLength),
            Fields = f is null ? null : SpecLists.MapModel(f, List) with
            {
                SkillName = Text(f.SkillName, MaxFieldLength),
                Description = Text(f.Description, MaxFieldLength),
                Purpose = Text(f.Purpose, MaxFieldLength),
                StorageLayer = Text(f.StorageLayer, MaxStateNameLength),
            },
        };
    }

    /// <summary>
    /// <paramref name="value"/> without control characters (line breaks and tabs kept only when asked) and with any
    /// unpaired surrogate replaced, cut to <paramref name="max"/> characters without splitting a pair.
    /// </summary>
    public static string? Text(string? value, int max, bool keepLineBreaks = false)
    {
        if (value is null)
        {
            return null;
        }
        var clean = new StringBuilder(Math.Min(value.Length, max));
        for (var i = 0; i < value.Length && clean.Length < max; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                if (clean.Length + 2 > max)
                {
                    break;
                }
                clean.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                clean.Append('\uFFFD');
            }
            else if (!char.IsControl(c) || (keepLineBreaks && c is '\n' or '\t'))
            {
                clean.Append(c);
            }
            else if (c is '\r' or '\n' or '\t')
            {
                clean.Append(keepLineBreaks ? "" : " ");
            }
        }
        return clean.ToString();
    }

    private static IReadOnlyList<string>? List(IReadOnlyList<string>? items) =>
        items?.Take(MaxListItems).Select(i => Text(i, MaxListItemLength)).OfType<string>().ToList();
}
