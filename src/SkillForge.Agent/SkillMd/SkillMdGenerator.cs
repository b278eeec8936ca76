using System.Text;
using SkillForge.Agent.Context;

namespace SkillForge.Agent.SkillMd;

/// <summary>
/// Writes SKILL.md from the context: frontmatter with exactly <c>name</c> and <c>description</c>, then Purpose, When to
/// use, Workflow and Examples, and Tools / References / Scripts when the user named any. It writes what the context
/// holds, even when that is invalid: fixing is the fixer's job and judging the validator's, so a bad field shows up
/// as a validation error instead of being silently papered over.
/// </summary>
public static class SkillMdGenerator
{
    private static readonly HashSet<string> YamlReservedWords =
        new(["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"], StringComparer.OrdinalIgnoreCase);

    public static string Generate(SkillContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = context.SkillName?.Trim() ?? "";
        var md = new StringBuilder();
        md.Append("---\n")
          .Append("name: ").Append(IsSafePlain(name) ? name : YamlScalars.DoubleQuoted(name)).Append('\n')
          .Append("description: ").Append(YamlScalars.DoubleQuoted(OneLine(context.Description))).Append('\n')
          .Append("---\n\n")
          .Append("# ").Append(SkillNames.IsValid(name) ? SkillNames.ToTitle(name) : "Skill").Append('\n');

        Section(md, SkillMdSections.Purpose);
        var purpose = OneLine(context.Purpose);
        if (purpose.Length > 0)
        {
            md.Append(Paragraph(Sentence(purpose))).Append('\n');
        }
        if (context.Capabilities.Count > 0)
        {
            md.Append(purpose.Length > 0 ? "\nIt can also:\n" : "It can:\n");
            Bullets(md, context.Capabilities, c => c);
        }

        Section(md, SkillMdSections.WhenToUse);
        Bullets(md, context.Triggers, t => Upper(TriggerClauses.AsClause(Lower(t))));

        Section(md, SkillMdSections.Workflow);
        var step = 0;
        foreach (var s in context.WorkflowSteps.Select(OneLine).Where(s => s.Length > 0))
        {
            md.Append(++step).Append(". ").Append(Upper(s)).Append('\n');
        }

        Section(md, SkillMdSections.Examples);
        Bullets(md, context.Examples, Quoted);

        if (context.AllowedTools.Count > 0)
        {
            Section(md, "Tools");
            Bullets(md, context.AllowedTools, t => t);
        }
        if (context.ReferenceTopics.Count > 0)
        {
            Section(md, "References");
            Bullets(md, context.ReferenceTopics, t => $"[{t}]({ResourcePath("references", t)}): read it when the task touches {Lower(t)}");
        }
        if (context.ScriptsNeeded.Count > 0)
        {
            Section(md, "Scripts");
            Bullets(md, context.ScriptsNeeded, s => $"`{ResourcePath("scripts", s)}`: {s}");
        }
        return md.ToString();
    }

    /// <summary>One note per reference topic and one brief per script, so the skill folder has a place for each.</summary>
    public static IReadOnlyList<GeneratedResource> Resources(SkillContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var skill = context.SkillName ?? "this skill";
        var references = context.ReferenceTopics.Select(t => new GeneratedResource(ResourcePath("references", t),
            $"# {OneLine(t)}\n\nWhat {skill} needs to know about {Lower(OneLine(t))}. Add the facts, links and conventions the skill should follow here.\n"));
        var scripts = context.ScriptsNeeded.Select(s => new GeneratedResource(ResourcePath("scripts", s),
            $"# {OneLine(s)}\n\nA script {skill} runs for this step: {OneLine(s)}. Describe its inputs, outputs and how to run it.\n"));
        return [.. references.Concat(scripts).DistinctBy(r => r.Path)];
    }

    internal static string OneLine(string? text) =>
        string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string ResourcePath(string folder, string topic) => $"{folder}/{SkillNames.Normalize(topic) ?? "notes"}.md";

    private static bool IsSafePlain(string name) => SkillNames.IsValid(name) && !YamlReservedWords.Contains(name);

    private static void Section(StringBuilder md, string heading) => md.Append("\n## ").Append(heading).Append("\n\n");

    private static void Bullets(StringBuilder md, IEnumerable<string> items, Func<string, string> format)
    {
        foreach (var item in items.Select(OneLine).Where(i => i.Length > 0))
        {
            md.Append("- ").Append(format(item)).Append('\n');
        }
    }

    /// <summary>A paragraph must not turn into a heading, rule or list by starting with Markdown syntax.</summary>
    private static string Paragraph(string text) =>
        text.Length > 0 && "#->*+=|`".Contains(text[0]) ? "\\" + text : text;

    private static string Quoted(string example) =>
        example.Length >= 2 && example[0] is '"' or '“' && example[^1] is '"' or '”' ? example : $"\"{example}\"";

    private static string Sentence(string text) => Upper(text) + (text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? "" : ".");

    private static string Upper(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Lower-cases the first letter unless the first word looks like an acronym or a name ("PR", "GitHub").</summary>
    private static string Lower(string text)
    {
        if (text.Length < 2 || !char.IsUpper(text[0]) || char.IsUpper(text[1]))
        {
            return text;
        }
        var firstWord = text.Split(' ')[0];
        return firstWord.Skip(1).Any(char.IsUpper) ? text : char.ToLowerInvariant(text[0]) + text[1..];
    }
}
