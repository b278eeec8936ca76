namespace SkillForge.Worker.Tests.Observability;

/// <summary>
/// The metric names a PromQL expression reads: a small scanner, not a parser. It is enough for dashboard queries and
/// alert rules; a selector by <c>__name__</c> alone (<c>{__name__="x"}</c>) is not recognised.
/// </summary>
internal static class PromQlMetricNames
{
    /// <summary>Aggregations may be followed by <c>by (…)</c> instead of a parenthesis, so they are known by name.</summary>
    private static readonly HashSet<string> Aggregations = new(StringComparer.Ordinal)
    {
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio",
    };

    /// <summary>Modifiers whose parenthesised list holds label names, never metrics.</summary>
    private static readonly HashSet<string> LabelLists = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
    };

    public static IReadOnlySet<string> Of(string expression)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = AfterString(expression, i);
            }
            else if (c is '{' or '[')
            {
                // Label matchers and range durations ([5m], [$__rate_interval]) hold label names, values and variables only.
                i = AfterClosing(expression, i, c == '{' ? '}' : ']');
            }
            else if (c == '$' || char.IsAsciiDigit(c) || (c == '.' && i + 1 < expression.Length && char.IsAsciiDigit(expression[i + 1])))
            {
                // A Grafana variable, or a number or duration (0.99, 1e6, 5m): its letters are no identifier.
                i = AfterWord(expression, i + 1);
            }
            else if (IsIdentifierStart(c))
            {
                var end = AfterWord(expression, i);
                var word = expression[i..end];
                var next = NextNonSpace(expression, end);
                if (LabelLists.Contains(word))
                {
                    i = next < expression.Length && expression[next] == '(' ? AfterClosing(expression, next, ')') : end;
                    continue;
                }
                // A word before a parenthesis is a function (rate, histogram_quantile, …).
                var isFunction = next < expression.Length && expression[next] == '(';
                if (!isFunction && !Aggregations.Contains(word) && !Keywords.Contains(word))
                {
                    names.Add(word);
                }
                i = end;
            }
            else
            {
                i++;
            }
        }
        return names;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static int AfterWord(string s, int i)
    {
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or ':' or '.'))
        {
            i++;
        }
        return i;
    }

    private static int NextNonSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }
        return i;
    }

    private static int AfterString(string s, int start)
    {
        var quote = s[start];
        for (var i = start + 1; i < s.Length; i++)
        {
            if (s[i] == '\\' && quote != '`')
            {
                i++;
            }
            else if (s[i] == quote)
            {
                return i + 1;
            }
        }
        return s.Length;
    }

    /// <summary>Past the bracket that closes the one at <paramref name="start"/>, stepping over strings (a regex may hold one).</summary>
    private static int AfterClosing(string s, int start, char closing)
    {
        var i = start + 1;
        while (i < s.Length && s[i] != closing)
        {
            i = s[i] is '"' or '\'' or '`' ? AfterString(s, i) : i + 1;
        }
        return Math.Min(i + 1, s.Length);
    }
}
