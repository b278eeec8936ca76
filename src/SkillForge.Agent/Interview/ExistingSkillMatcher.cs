namespace SkillForge.Agent.Interview;

/// <summary>
/// Before writing a new skill, offer a completed one of the same tenant when it shares two or more
/// keywords with the request, so users do not build near-duplicates.
/// </summary>
internal static class ExistingSkillMatcher
{
    public const int MinSharedKeywords = 2;

    public static ExistingSkill? Find(string request, IReadOnlyList<ExistingSkill> skills)
    {
        var wanted = Words.Keywords(request);
        if (wanted.Count < MinSharedKeywords || skills.Count == 0)
        {
            return null;
        }
        return skills
            .Select(s => (Skill: s, Shared: Words.Keywords($"{s.Name.Replace('-', ' ')} {s.Description}").Count(wanted.Contains)))
            .Where(m => m.Shared >= MinSharedKeywords)
            .OrderByDescending(m => m.Shared)
            .Select(m => m.Skill)
            .FirstOrDefault();
    }
}
