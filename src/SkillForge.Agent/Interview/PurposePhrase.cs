namespace SkillForge.Agent.Interview;

/// <summary>
/// Grammar for the agent's own sentences about the purpose: "summarises pull requests" becomes "summarise pull
/// requests" after "asks to", and a noun phrase ("release notes") gets "help with". Heuristic on purpose: it only
/// has to make the agent's suggestions read naturally; the user's own words are always kept as typed.
/// </summary>
internal static class PurposePhrase
{
    // Words that start noun phrases as often as commands ("release notes", "support tickets") are left out on purpose.
    private static readonly HashSet<string> BaseVerbs = new(StringComparer.Ordinal)
    {
        "analyse", "analyze", "answer", "apply", "archive", "assess", "audit", "automate", "backup", "build", "calculate", "catch",
        "categorise", "categorize", "change", "check", "clarify", "classify", "clean", "collect", "combine", "compare", "compile",
        "compose", "compress", "configure", "convert", "coordinate", "copy", "count", "create", "debug", "decide", "deploy",
        "describe", "design", "detect", "diagnose", "document", "draft", "edit", "enforce", "estimate", "evaluate", "explain",
        "export", "extract", "fetch", "fill", "filter", "find", "fix", "flag", "follow", "format", "gather", "generate",
        "grade", "group", "guide", "handle", "help", "highlight", "identify", "import", "improve", "inspect", "keep",
        "lint", "list", "load", "maintain", "make", "manage", "map", "measure", "merge", "migrate", "monitor",
        "move", "name", "normalise", "normalize", "notify", "onboard", "open", "optimise", "optimize", "organise", "organize",
        "outline", "parse", "plan", "polish", "post", "predict", "prepare", "prioritise", "prioritize", "process", "produce",
        "proofread", "publish", "pull", "push", "query", "rank", "read", "recommend", "refactor", "reformat",
        "remind", "remove", "rename", "render", "reply", "report", "research", "resolve", "respond",
        "restore", "review", "rewrite", "run", "sanitise", "sanitize", "scan", "schedule", "score", "search", "send", "set",
        "ship", "simplify", "sort", "spot", "standardise", "standardize", "start", "store", "suggest", "summarise",
        "summarize", "sync", "tag", "teach", "test", "track", "train", "transcribe", "transform", "translate", "triage",
        "troubleshoot", "turn", "tidy", "update", "upgrade", "upload", "validate", "verify", "visualise", "visualize", "walk",
        "watch", "write",
    };

    /// <summary>The purpose as an infinitive phrase ("summarise pull requests"), or null when it does not start with a verb.</summary>
    public static string? VerbPhrase(string purpose)
    {
        var (first, rest) = SplitFirst(purpose);
        var lower = first.ToLowerInvariant();
        if (IsVerb(lower))
        {
            return Join(lower, rest);
        }
        foreach (var candidate in BaseForms(lower))
        {
            if (IsVerb(candidate))
            {
                return Join(candidate, rest);
            }
        }
        return null;
    }

    /// <summary>True when the purpose starts with a third-person verb ("summarises …"), so it reads as a description as it is.</summary>
    public static bool IsThirdPerson(string purpose)
    {
        var (first, _) = SplitFirst(purpose);
        var lower = first.ToLowerInvariant();
        return !IsVerb(lower) && BaseForms(lower).Any(IsVerb);
    }

    /// <summary>"the user asks to summarise pull requests" / "the user needs help with release notes".</summary>
    public static string AsRequest(string purpose) =>
        VerbPhrase(purpose) is { } verb ? $"the user asks to {verb}" : $"the user needs help with {Lower(purpose)}";

    public static string AsQuestion(string purpose) =>
        VerbPhrase(purpose) is { } verb ? $"Can you {verb}?" : $"Can you help me with {Lower(purpose)}?";

    /// <summary>"a skill that summarises pull requests" / "a skill to summarise …" / "a skill for release notes".</summary>
    public static string AsSkill(string purpose) =>
        IsThirdPerson(purpose) ? $"a skill that {Lower(purpose)}"
        : VerbPhrase(purpose) is { } verb ? $"a skill to {verb}"
        : $"a skill for {Lower(purpose)}";

    private static bool IsVerb(string word) =>
        BaseVerbs.Contains(word) || word.Length > 5 && (word.EndsWith("ise", StringComparison.Ordinal) || word.EndsWith("ize", StringComparison.Ordinal) || word.EndsWith("ify", StringComparison.Ordinal));

    private static IEnumerable<string> BaseForms(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            yield return word[..^3] + "y";
        }
        if (word.EndsWith("es", StringComparison.Ordinal) && word.Length > 3)
        {
            yield return word[..^2];
        }
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && word.Length > 2)
        {
            yield return word[..^1];
        }
    }

    private static (string Head, string Tail) SplitFirst(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOf(' ');
        return space < 0 ? (trimmed, "") : (trimmed[..space], trimmed[(space + 1)..]);
    }

    private static string Join(string verb, string rest) => rest.Length == 0 ? verb : $"{verb} {rest}";

    internal static string Lower(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}
