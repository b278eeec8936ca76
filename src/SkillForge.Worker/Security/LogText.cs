using System.Text;

namespace SkillForge.Worker.Security;

/// <summary>Text from outside made safe for a log line: control characters (CR, LF, ANSI escapes) shown as <c>\uXXXX</c>, and bounded.</summary>
public static class LogText
{
    private const int MaxLength = 200;

    public static string Escape(string text)
    {
        var escaped = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text.Length > MaxLength ? text[..MaxLength] : text)
        {
            if (char.IsControl(c))
            {
                escaped.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                escaped.Append(c);
            }
        }
        return text.Length > MaxLength ? escaped.Append('…').ToString() : escaped.ToString();
    }
}
