using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace SkillForge.Sessions.Storage;

/// <summary>
/// The position after a page of a user's sessions: the last one's activity time and id, the listing's order. Keyset,
/// not an offset, so a page costs what it returns however far in, and sessions that change meanwhile shift no others.
/// Opaque to callers (base64url), so its form may change.
/// </summary>
public readonly record struct UserSessionCursor(DateTimeOffset LastActivityAt, string SessionId)
{
    private const string Version = "1";

    public override string ToString() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}|{LastActivityAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{SessionId}"));

    /// <exception cref="InvalidSessionInputException">Not a cursor this store issued.</exception>
    public static UserSessionCursor Parse(string cursor)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|', 3);
        }
        catch (FormatException)
        {
            parts = [];
        }
        if (parts is not [Version, var ticksText, var sessionId]
            || !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new InvalidSessionInputException(InvalidSessionInputException.InvalidRequest, "Cursor is not one this service issued.");
        }
        SessionInputRules.ValidateId(sessionId, "Cursor");
        return new UserSessionCursor(new DateTimeOffset(ticks, TimeSpan.Zero), sessionId);
    }
}
