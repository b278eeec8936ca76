namespace SkillForge.Sessions.Storage;

/// <summary>
/// What the audit keeps of an erasure request's reason: one of a few codes, never the free text, which may itself
/// hold what was to be erased. "user request", "User-Request" and "user_request" are the same code; anything else is
/// <see cref="Other"/>, and no reason is <see cref="Unspecified"/>. A reason never makes an erasure fail.
/// </summary>
public static class ErasureReasons
{
    public const string Other = "other";
    public const string Unspecified = "unspecified";

    public static readonly IReadOnlySet<string> Codes = new HashSet<string>(StringComparer.Ordinal)
    {
        "user_request", "account_deleted", "retention", "legal_request", "operator", Other, Unspecified,
    };

    public static string ToCode(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Unspecified;
        }
        if (reason.Length > 64)
        {
            return Other;
        }
        var code = reason.Trim().ToLowerInvariant().Replace(' ', '_').Replace('-', '_');
        return Codes.Contains(code) ? code : Other;
    }
}
