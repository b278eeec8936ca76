using System.Diagnostics;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Security;

namespace SkillForge.Worker.Observability;

/// <summary>
/// Our spans of a chat turn (<see cref="SkillForgeMetrics.ActivitySource"/>): each carries the tenant, session and turn
/// ids, never the user's text, so one turn's spans can be found by its ids. A step that throws, or a turn answered
/// with a rejection, is marked Error with the exception's type or the rejection's code as <c>error.type</c>.
/// </summary>
public static class TurnSpans
{
    public const string TenantIdTag = "skillforge.tenant_id";
    public const string SessionIdTag = "skillforge.session_id";
    public const string TurnIdTag = "skillforge.turn_id";

    /// <summary>A started span, or null when nothing listens to our source.</summary>
    public static Activity? Start(string name, string? tenantId, string? sessionId, Guid turnId)
    {
        var span = SkillForgeMetrics.ActivitySource.StartActivity(name);
        if (span is { IsAllDataRequested: true })
        {
            // The ids come from the message and may not be validated yet: escaped and bounded as for a log line.
            span.SetTag(TenantIdTag, LogText.Escape(tenantId ?? ""));
            span.SetTag(SessionIdTag, LogText.Escape(sessionId ?? ""));
            span.SetTag(TurnIdTag, turnId.ToString());
        }
        return span;
    }

    public static Activity? Start(string name, SessionKey key, Guid turnId) => Start(name, key.TenantId, key.SessionId, turnId);

    /// <summary>Marks the span failed: <paramref name="errorType"/> is a rejection code (<c>unavailable</c>, …) or an exception's type.</summary>
    public static void Fail(this Activity? span, string errorType)
    {
        span?.SetStatus(ActivityStatusCode.Error, errorType);
        span?.SetTag("error.type", errorType);
    }

    /// <summary>The exception's type only: its message may quote data, and the log has the whole exception.</summary>
    public static void Fail(this Activity? span, Exception exception) => span.Fail(exception.GetType().FullName ?? exception.GetType().Name);
}
