using System.Globalization;
using System.Text.RegularExpressions;

namespace SkillForge.Agent.SkillMd;

/// <summary>
/// Checks a SKILL.md the way a skill loader would read it: well-formed frontmatter with exactly <c>name</c> and
/// <c>description</c>, a kebab-case name of 1–64 characters starting with a letter, a one-line description of 1–1024
/// characters, the four required sections with content, and the size limits.
/// </summary>
public static partial class SkillMdValidator
{
    private static readonly HashSet<string> YamlReservedWords =
        new(["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"], StringComparer.OrdinalIgnoreCase);

    public static SkillMdValidation Validate(string? skillMd)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(skillMd))
        {
            return new(["SKILL.md is empty."], null, null);
        }
        var text = skillMd.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.Length > SkillMdLimits.MaxCharacters)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"SKILL.md is {text.Length} characters long; the limit is {SkillMdLimits.MaxCharacters}."));
        }
        var lines = text.Split('\n');
        if (lines.Length > SkillMdLimits.MaxLines)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"SKILL.md has {lines.Length} lines; the limit is {SkillMdLimits.MaxLines}."));
        }
        if (lines[0] != "---")
        {
            errors.Add("SKILL.md must start with a '---' line opening the frontmatter.");
            return new(errors, null, null);
        }
        var close = Array.IndexOf(lines, "---", 1);
        if (close < 0)
        {
            errors.Add("The frontmatter is not closed by a '---' line.");
            return new(errors, null, null);
        }

        var values = ReadFrontmatter(lines[1..close], errors);
        values.TryGetValue("name", out var name);
        values.TryGetValue("description", out var description);
        if (name is not null)
        {
            CheckName(name, errors);
        }
        if (description is not null)
        {
            CheckDescription(description, errors);
        }
        CheckSections(lines[(close + 1)..], errors);
        return new(errors, name, description);
    }

    private static Dictionary<string, string> ReadFrontmatter(string[] lines, List<string> errors)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var match = KeyValue().Match(line);
            if (!match.Success)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"Frontmatter line {i + 2} is not a one-line 'key: value' pair: {Shorten(line)}"));
                continue;
            }
            var key = match.Groups["key"].Value;
            if (key is not ("name" or "description"))
            {
                errors.Add($"The frontmatter may only hold 'name' and 'description'; found '{key}'.");
                continue;
            }
            if (values.ContainsKey(key))
            {
                errors.Add($"The frontmatter has '{key}' more than once.");
                continue;
            }
            var raw = match.Groups["value"].Value;
            if (!YamlScalars.TryRead(raw, out var value, out var problem))
            {
                errors.Add($"The frontmatter '{key}' {problem}.");
                continue;
            }
            if (key == "name" && raw.Trim() is var plain && plain.Length > 0 && plain[0] is not ('"' or '\'') && YamlReservedWords.Contains(plain))
            {
                errors.Add($"The name '{plain}' would be read by YAML as a boolean or null; quote it or choose another name.");
            }
            values[key] = value;
        }
        foreach (var required in new[] { "name", "description" }.Where(k => !values.ContainsKey(k)))
        {
            errors.Add($"The frontmatter has no '{required}'.");
        }
        return values;
    }

    private static void CheckName(string name, List<string> errors)
    {
        if (name.Length == 0)
        {
            errors.Add("The name is empty.");
        }
        else if (name.Length > SkillMdLimits.MaxNameLength)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"The name is {name.Length} characters long; the limit is {SkillMdLimits.MaxNameLength}."));
        }
        else if (!SkillNames.IsValid(name))
        {
            errors.Add($"The name '{Shorten(name)}' is not kebab-case starting with a letter (lowercase letters, digits and single hyphens, like 'pr-digest').");
        }
    }

    private static void CheckDescription(string description, List<string> errors)
    {
        if (description.Trim().Length == 0)
        {
            errors.Add("The description is empty.");
        }
        else if (description.Length > SkillMdLimits.MaxDescriptionLength)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"The description is {description.Length} characters long; the limit is {SkillMdLimits.MaxDescriptionLength}."));
        }
        if (description.Any(c => c is '\n' or '\r'))
        {
            errors.Add("The description must be a single line.");
        }
    }

    private static void CheckSections(string[] body, List<string> errors)
    {
        var seen = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        string? current = null;
        foreach (var line in body)
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = line[3..].Trim();
                if (seen.ContainsKey(current) && SkillMdSections.Required.Contains(current, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"The section '{current}' appears more than once.");
                }
                seen.TryAdd(current, false);
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                current = null;
            }
            else if (current is not null && line.Trim().Length > 0)
            {
                seen[current] = true;
            }
        }
        foreach (var section in SkillMdSections.Required)
        {
            if (!seen.TryGetValue(section, out var hasContent))
            {
                errors.Add($"The section '## {section}' is missing.");
            }
            else if (!hasContent)
            {
                errors.Add($"The section '## {section}' is empty.");
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    [GeneratedRegex(@"^(?<key>[A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]+(?<value>.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValue();
}
