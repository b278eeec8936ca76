using System.Text;
using System.Text.RegularExpressions;

namespace SkillForge.Agent.SkillMd;

/// <summary>Skill names: kebab-case, 1–64 characters, starting with a letter.</summary>
public static partial class SkillNames
{
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= SkillMdLimits.MaxNameLength } && KebabCase().IsMatch(name);

    /// <summary>
    /// The kebab-case form of what a user typed ("PR Digest!" → "pr-digest"), or null when nothing usable is left.
    /// Accents are dropped, anything but ASCII letters and digits separates words, leading digits are skipped (a name
    /// starts with a letter), and a name longer than 64 is cut at a word boundary. Idempotent on valid names.
    /// </summary>
    public static string? Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            var lower = char.ToLowerInvariant(c);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                word.Append(lower);
            }
            else if (char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                Flush();
            }
        }
        Flush();

        // A name starts with a letter: skip leading words that are only digits, then leading digits of the first word.
        while (words.Count > 0 && !char.IsAsciiLetter(words[0][0]))
        {
            var trimmed = words[0].TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
            if (trimmed.Length == 0)
            {
                words.RemoveAt(0);
            }
            else
            {
                words[0] = trimmed;
            }
        }
        var name = new StringBuilder();
        foreach (var w in words)
        {
            var extra = name.Length == 0 ? w.Length : w.Length + 1;
            if (name.Length + extra > SkillMdLimits.MaxNameLength)
            {
                if (name.Length == 0)
                {
                    name.Append(w.AsSpan(0, SkillMdLimits.MaxNameLength));
                }
                break;
            }
            name.Append(name.Length == 0 ? "" : "-").Append(w);
        }
        return name.Length == 0 ? null : name.ToString();

        void Flush()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
    }

    /// <summary>"pr-digest" → "PR Digest": the document title; a word without vowels reads as an acronym.</summary>
    public static string ToTitle(string name) =>
        string.Join(' ', name.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w =>
            w.Any(c => "aeiouy".Contains(c)) ? char.ToUpperInvariant(w[0]) + w[1..] : w.ToUpperInvariant()));

    [GeneratedRegex("^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KebabCase();
}
