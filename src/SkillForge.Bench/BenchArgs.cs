namespace SkillForge.Bench;

/// <summary>The benchmarks' <c>--name value</c> options: a missing or unreadable number takes the default.</summary>
internal static class BenchArgs
{
    public static int Int(string[] args, string name, int fallback) =>
        Value(args, name) is { } value && int.TryParse(value, out var number) ? number : fallback;

    /// <summary>A comma-separated list of positive numbers; one that is not is an error, not a silent default.</summary>
    public static List<int> PositiveInts(string[] args, string name, List<int> fallback) =>
        Value(args, name) is { } value
            ? value.Split(',').Select(v => int.TryParse(v, out var number) && number > 0 ? number : throw new ArgumentException($"{name}: '{v}' is not a positive number")).ToList()
            : fallback;

    /// <summary>The option's text, or null when it is not given.</summary>
    public static string? Text(string[] args, string name) => Value(args, name);

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
