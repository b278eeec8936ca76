namespace SkillForge.Sessions.Storage;

/// <summary>
/// The input rules of the wire contract, checked before anything is read or written. The same rules serve the
/// consumers (to answer <c>ChatTurnRejected</c>) and the store (so no caller can skip them).
/// </summary>
public static class SessionInputRules
{
    public const int MaxIdLength = 128;

    public static void ValidateKey(SessionKey key)
    {
        ValidateId(key.TenantId, "TenantId");
        ValidateId(key.SessionId, "SessionId");
    }

    public static void ValidateId(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"{name} is required.");
        }
        if (value.Length > MaxIdLength)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest,
                $"{name} is {value.Length} characters long; at most {MaxIdLength} are allowed.");
        }
        foreach (var c in value)
        {
            if (!IsIdCharacter(c))
            {
                throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest,
                    $"{name} may contain only letters A–Z and a–z, digits and . _ : - (found U+{(int)c:X4}).");
            }
        }
    }

    public const int MaxUserIdLength = 256;

    /// <summary>
    /// A user id, when given: 1–256 characters without control characters. Wider than session ids, since upstream
    /// services name their users as they please (e-mail addresses, URNs).
    /// </summary>
    public static void ValidateUserId(string? userId)
    {
        if (userId is null)
        {
            return;
        }
        if (userId.Length is 0 or > MaxUserIdLength || userId.Any(char.IsControl))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest,
                $"UserId must be 1-{MaxUserIdLength} characters without control characters.");
        }
        ValidateText(userId, MaxUserIdLength, "UserId");
    }

    /// <summary>An operator's words kept in a record (a hold's reason, who acted): 1–<paramref name="maxLength"/> characters, no control characters.</summary>
    public static void ValidateOperatorText(string? text, int maxLength, string name)
    {
        ValidateText(text, maxLength, name);
        if (text!.Any(char.IsControl))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"{name} must not contain control characters.");
        }
    }

    public static void ValidateText(string? text, int maxLength, string name = "Text")
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"{name} must not be empty.");
        }
        if (text.Length > maxLength)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.TooLarge,
                $"{name} is {text.Length} characters long; at most {maxLength} are allowed.");
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, $"{name} must not contain NUL characters.");
        }
        // A lone surrogate has no UTF-8 form: PostgreSQL could not store it, and the turn would fail as a bug.
        if (IndexOfLoneSurrogate(text) is var at and >= 0)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest,
                $"{name} is not valid Unicode: a lone surrogate (U+{(int)text[at]:X4}) at position {at}.");
        }
    }

    private static int IndexOfLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }
        return -1;
    }

    public static void ValidateRole(string? role)
    {
        if (role is null || !MessageRole.IsKnown(role))
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest,
                $"Role '{role}' is not one of '{MessageRole.User}' or '{MessageRole.Assistant}'.");
        }
    }

    private static bool IsIdCharacter(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or ':' or '-';
}
