using System.Text.RegularExpressions;

namespace SkillForge.Agent.Interview;

/// <summary>Word-level text handling shared by question de-duplication and keyword matching.</summary>
internal static partial class Words
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "nor", "to", "of", "in", "on", "for", "with", "at", "by", "from", "into", "onto",
        "over", "about", "as", "than", "then", "so", "if", "it", "its", "is", "are", "be", "been", "being", "was", "were",
        "am", "do", "does", "did", "done", "you", "your", "yours", "i", "me", "my", "we", "our", "us", "they", "them",
        "their", "he", "she", "this", "that", "these", "those", "there", "here", "what", "which", "who", "whom", "how",
        "when", "where", "why", "should", "would", "could", "can", "will", "shall", "may", "might", "must", "like", "any",
        "some", "just", "also", "please", "very", "really", "want", "need", "needs", "help", "helps", "make", "create",
        "build", "write", "new", "skill", "skills", "s", "let", "lets", "let's", "get", "got", "have", "has", "had", "all",
        "not", "no", "yes", "ok", "okay", "too", "more", "most", "such", "each", "other", "only", "own", "same", "up",
        "out", "down", "off", "again", "once", "one", "something", "someone", "thing", "things", "way", "use", "used",
    };

    /// <summary>Lower-case words of letters and digits; apostrophes dropped so "don't" is one word.</summary>
    public static IReadOnlyList<string> Tokens(string text) =>
        [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value.Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal))];

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    public static IReadOnlyList<string> ContentWords(string text) => [.. Tokens(text).Where(w => !IsStopWord(w))];

    /// <summary>
    /// A crude stem that makes "summaries", "summarise" and "summary" (or "request" and "requests") meet: plural
    /// endings off, then the first six letters. Good enough for "do these share a topic", not for linguistics.
    /// </summary>
    public static string Stem(string word)
    {
        var w = word;
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
        {
            w = w[..^3] + "y";
        }
        else if (w.Length > 4 && (w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("ches", StringComparison.Ordinal)
            || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal)))
        {
            w = w[..^2];
        }
        else if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal))
        {
            w = w[..^1];
        }
        return w.Length > 6 ? w[..6] : w;
    }

    public static IReadOnlySet<string> Keywords(string text) =>
        ContentWords(text).Where(w => w.Length >= 2 && !w.All(char.IsDigit)).Select(Stem).ToHashSet(StringComparer.Ordinal);

    public static int Count(string text) => Tokens(text).Count;

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
