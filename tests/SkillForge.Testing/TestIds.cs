using System.Runtime.CompilerServices;

namespace SkillForge.Testing;

/// <summary>
/// Ids unique to one test and one run, derived from the calling test's name (readable in the database) plus a
/// random suffix, so tests run in parallel and re-run without cleanup.
/// </summary>
public static class TestIds
{
    public static string Tenant([CallerMemberName] string caller = "") => Make("t", caller);

    public static string Session([CallerMemberName] string caller = "") => Make("s", caller);

    private static string Make(string prefix, string caller)
    {
        var name = new string(caller.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').Take(80).ToArray());
        return $"{prefix}-{name}-{Guid.NewGuid():N}"[..Math.Min(128, prefix.Length + name.Length + 34)];
    }
}
