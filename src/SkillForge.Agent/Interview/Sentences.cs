using System.Text.RegularExpressions;

namespace SkillForge.Agent.Interview;

/// <summary>One sentence or list line of a user message.</summary>
internal readonly record struct Sentence(string Text, bool IsListItem);

/// <summary>
/// Splits a message into sentences and list lines. A full stop ends a sentence only outside quotes and not after an
/// abbreviation ("e.g."), so an example like "Summarise PR #42. Then post it." stays whole when quoted.
/// </summary>
internal static partial class Sentences
{
    private static readonly string[] Abbreviations = ["e.g", "i.e", "etc", "vs", "approx", "incl", "eg", "ie", "mr", "mrs", "dr"];

    public static IReadOnlyList<Sentence> Split(string text)
    {
        var result = new List<Sentence>();
        foreach (var rawLine in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var bullet = ListMarker().Match(line);
            if (bullet.Success)
            {
                result.Add(new Sentence(bullet.Groups["item"].Value.Trim(), IsListItem: true));
                continue;
            }
            result.AddRange(SplitLine(line).Select(s => new Sentence(s, IsListItem: false)));
        }
        return result;
    }

    private static IEnumerable<string> SplitLine(string line)
    {
        var start = 0;
        var inQuotes = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '"' or '“' or '”')
            {
                inQuotes = c switch { '“' => true, '”' => false, _ => !inQuotes };
                continue;
            }
            if (inQuotes || c is not ('.' or '!' or '?') || i + 1 < line.Length && !char.IsWhiteSpace(line[i + 1]))
            {
                continue;
            }
            if (c == '.' && EndsWithAbbreviation(line.AsSpan(start, i - start)))
            {
                continue;
            }
            var sentence = line[start..(i + 1)].Trim();
            if (sentence.Length > 0)
            {
                yield return sentence;
            }
            start = i + 1;
        }
        var rest = line[start..].Trim();
        if (rest.Length > 0)
        {
            yield return rest;
        }
    }

    private static bool EndsWithAbbreviation(ReadOnlySpan<char> text)
    {
        foreach (var abbreviation in Abbreviations)
        {
            if (text.EndsWith(abbreviation, StringComparison.OrdinalIgnoreCase)
                && (text.Length == abbreviation.Length || !char.IsLetter(text[text.Length - abbreviation.Length - 1])))
            {
                return true;
            }
        }
        return false;
    }

    [GeneratedRegex(@"^(?:[-*•]|\d{1,2}[.)])\s+(?<item>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ListMarker();
}
