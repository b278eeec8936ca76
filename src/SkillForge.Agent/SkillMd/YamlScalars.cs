using System.Globalization;
using System.Text;

namespace SkillForge.Agent.SkillMd;

/// <summary>
/// The small YAML subset SKILL.md frontmatter uses: one-line <c>key: value</c> scalars, plain, single- or
/// double-quoted. Writing always double-quotes free text so a colon, a quote, a '#' or a newline in a description can
/// never break the frontmatter.
/// </summary>
internal static class YamlScalars
{
    public static string DoubleQuoted(string value)
    {
        var s = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' or '\uFEFF')
                    {
                        s.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        s.Append(c);
                    }
                    break;
            }
        }
        return s.Append('"').ToString();
    }

    /// <summary>Reads one scalar as written after <c>key:</c>; false with a reason when it is not one we accept.</summary>
    public static bool TryRead(string raw, out string value, out string error)
    {
        value = "";
        error = "";
        var text = raw.Trim();
        if (text.Length == 0)
        {
            error = "is empty";
            return false;
        }
        return text[0] switch
        {
            '"' => TryReadDoubleQuoted(text, out value, out error),
            '\'' => TryReadSingleQuoted(text, out value, out error),
            _ => TryReadPlain(text, out value, out error),
        };
    }

    private static bool TryReadPlain(string text, out string value, out string error)
    {
        value = text;
        error = "";
        // Characters that start other YAML constructs, or a ": " / " #" that would end the scalar early.
        if ("[]{}>|*&!%@`,?-".Contains(text[0]) || text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':'))
        {
            error = "needs quoting (it contains characters YAML reads as syntax)";
            return false;
        }
        return true;
    }

    private static bool TryReadSingleQuoted(string text, out string value, out string error)
    {
        value = "";
        error = "is not a well-formed single-quoted string";
        var s = new StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] != '\'')
            {
                s.Append(text[i]);
            }
            else if (i + 1 < text.Length && text[i + 1] == '\'')
            {
                s.Append('\'');
                i++;
            }
            else
            {
                if (i != text.Length - 1)
                {
                    return false;
                }
                value = s.ToString();
                error = "";
                return true;
            }
        }
        return false;
    }

    private static bool TryReadDoubleQuoted(string text, out string value, out string error)
    {
        value = "";
        error = "is not a well-formed double-quoted string";
        var s = new StringBuilder();
        for (var i = 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                if (i != text.Length - 1)
                {
                    return false;
                }
                value = s.ToString();
                error = "";
                return true;
            }
            if (c != '\\')
            {
                s.Append(c);
                continue;
            }
            if (++i >= text.Length)
            {
                return false;
            }
            switch (text[i])
            {
                case '"': s.Append('"'); break;
                case '\\': s.Append('\\'); break;
                case '/': s.Append('/'); break;
                case 'n': s.Append('\n'); break;
                case 'r': s.Append('\r'); break;
                case 't': s.Append('\t'); break;
                case '0': s.Append('\0'); break;
                case 'u' when i + 4 < text.Length && int.TryParse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    s.Append((char)code);
                    i += 4;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }
}
