namespace SkillForge.Agent.Interview;

/// <summary>
/// A question already asked is not asked again, judged by words — a candidate sharing more than half of
/// its content words (stemmed, stop words aside) with an earlier question counts as asked.
/// </summary>
internal static class QuestionOverlap
{
    public static bool WasAsked(string candidate, IEnumerable<string> asked) => asked.Any(a => IsRepeat(candidate, a));

    public static bool IsRepeat(string candidate, string earlier)
    {
        var words = Stems(candidate);
        if (words.Count == 0)
        {
            return string.Equals(candidate.Trim(), earlier.Trim(), StringComparison.OrdinalIgnoreCase);
        }
        var shared = words.Count(Stems(earlier).Contains);
        return shared * 2 > words.Count;
    }

    private static HashSet<string> Stems(string text) => [.. Words.ContentWords(text).Select(Words.Stem)];
}
