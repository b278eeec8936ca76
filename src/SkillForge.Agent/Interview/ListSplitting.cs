using System.Text.RegularExpressions;

namespace SkillForge.Agent.Interview;

/// <summary>Turns one typed answer into list items: "a, b and then c", "1) a 2) b", "\"x\" and \"y\"", "a; b".</summary>
internal static partial class ListSplitting
{
    public static IReadOnlyList<string> Steps(string text)
    {
        var numbered = NumberedItems().Split(" " + text).Where(s => s.Trim().Length > 0).ToList();
        var parts = numbered.Count > 1 ? numbered : [.. StepSeparators().Split(text)];
        return [.. parts.Select(p => StepLead().Replace(p.Trim(), "")).Select(p => SpecExtractor.CleanItem(p, keepQuestionMark: false)).Where(p => p.Length > 0)];
    }

    public static IReadOnlyList<string> Triggers(string text) =>
        [.. TriggerSeparators().Split(text).Select(p => TriggerLead().Replace(p.Trim(), "")).Select(p => SpecExtractor.CleanItem(p, keepQuestionMark: false)).Where(p => p.Length > 0)];

    /// <summary>Quoted requests are taken one by one; otherwise ';' or '|' separate examples, since commas occur inside them.</summary>
    public static IReadOnlyList<string> Examples(string text)
    {
        var quoted = Quoted().Matches(text).Select(m => m.Groups["q"].Value.Trim()).Where(q => q.Length > 0).ToList();
        var outside = Quoted().Replace(text, "");
        if (quoted.Count > 0 && Words.ContentWords(outside).Count <= 2)
        {
            return quoted;
        }
        return [.. ExampleSeparators().Split(text).Select(p => SpecExtractor.CleanItem(p, keepQuestionMark: true)).Where(p => p.Length > 0)];
    }

    public static IReadOnlyList<string> Items(string text) =>
        [.. ItemSeparators().Split(text).Select(p => SpecExtractor.CleanItem(p, keepQuestionMark: false)).Where(p => p.Length > 0)];

    [GeneratedRegex(@"\s\(?\d{1,2}[.)]\s+", RegexOptions.CultureInvariant)]
    private static partial Regex NumberedItems();

    [GeneratedRegex(@"\s*(?:;|->|→|=>|,\s*(?:and\s+)?(?:then|finally|next|lastly|after that)\b|\s(?:and\s+)?then\b|,\s*and\s+|,)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StepSeparators();

    [GeneratedRegex(@"^(?:(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|then|next|finally|lastly|after that|and)\b[,:]?\s*)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StepLead();

    [GeneratedRegex(@"\s*(?:;|,\s*or\s+(?:when(?:ever)?\s+)?|\s+or\s+when(?:ever)?\s+|,\s*and\s+when(?:ever)?\s+)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TriggerSeparators();

    [GeneratedRegex(@"^(?:when(?:ever)?|if|for|on|as soon as)\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TriggerLead();

    [GeneratedRegex(@"[""“](?<q>[^""“”]+)[""”]", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\s*(?:;|\|)\s*", RegexOptions.CultureInvariant)]
    private static partial Regex ExampleSeparators();

    [GeneratedRegex(@"\s*(?:;|,\s*and\s+|,|\s+and\s+)\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ItemSeparators();
}
