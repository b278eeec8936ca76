namespace SkillForge.Agent.Context;

/// <summary>Where a finished skill is made available; the worker records the choice with the session.</summary>
public static class StorageLayers
{
    /// <summary>Everyone in the tenant's workspace: the default, because most skills are written to be shared.</summary>
    public const string Organization = "organization";
    public const string Project = "project";
    public const string Personal = "personal";

    public static IReadOnlyList<string> All { get; } = [Organization, Project, Personal];

    public static string Describe(string layer) => layer switch
    {
        Personal => "only you can use it",
        Project => "it is available within this project",
        _ => "everyone in your workspace can use it",
    };

    /// <summary>The layer a user's words name ("keep it personal", "org-wide", "for the team"), or null.</summary>
    public static string? Find(string text)
    {
        var lower = text.ToLowerInvariant();
        if (ContainsWord(lower, "personal") || ContainsWord(lower, "private") || ContainsWord(lower, "just me") || ContainsWord(lower, "only me"))
        {
            return Personal;
        }
        if (ContainsWord(lower, "project") || ContainsWord(lower, "repo") || ContainsWord(lower, "repository"))
        {
            return Project;
        }
        if (ContainsWord(lower, "organization") || ContainsWord(lower, "organisation") || ContainsWord(lower, "org") || ContainsWord(lower, "org-wide")
            || ContainsWord(lower, "team") || ContainsWord(lower, "workspace") || ContainsWord(lower, "shared") || ContainsWord(lower, "everyone"))
        {
            return Organization;
        }
        return null;
    }

    private static bool ContainsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
            var end = at + word.Length;
            var after = end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (before && after)
            {
                return true;
            }
        }
        return false;
    }
}
