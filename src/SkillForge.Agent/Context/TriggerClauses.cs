using System.Text.RegularExpressions;

namespace SkillForge.Agent.Context;

/// <summary>
/// Triggers are stored without a leading "when" ("someone pastes a PR link"); this puts one back for prose unless the
/// trigger already starts with its own connective ("after a meeting", "before a release", "if the build fails").
/// </summary>
internal static partial class TriggerClauses
{
    public static string AsClause(string trigger) => OwnConnective().IsMatch(trigger) ? trigger : "when " + trigger;

    [GeneratedRegex(@"^(?:after|before|during|while|once|whenever|when|if|as soon as|on|at|for|every|each|any time|anytime)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OwnConnective();
}
