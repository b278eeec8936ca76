using System.Collections.Concurrent;
using System.Reflection;
using MassTransit;

namespace SkillForge.Broker;

/// <summary>
/// Every message a SkillForge party sends or publishes about a session carries its ids in two headers, so an operator
/// looking at a queue (an <c>_error</c> copy keeps its headers) sees whose it is without reading the body. The ids are
/// found on the message (<c>TenantId</c> and <c>SessionId</c>), or inside it: a fault's message, a queued write's turn
/// and key. Messages about no one session (a cleanup, a listing of a tenant) carry none.
/// </summary>
public static class SessionHeaders
{
    /// <summary>The header that carries the message's tenant id.</summary>
    public const string TenantId = "SkillForge-TenantId";

    /// <summary>The header that carries the message's session id.</summary>
    public const string SessionId = "SkillForge-SessionId";

    private static readonly string[] Inner = ["Message", "Turn", "Key"];
    private static readonly ConcurrentDictionary<Type, Func<object, (string, string)?>> Readers = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> MessageOfContext = new();

    /// <summary>Sets the headers on <paramref name="context"/> when its message names a session.</summary>
    public static void Stamp(SendContext context)
    {
        var property = MessageOfContext.GetOrAdd(context.GetType(), type => type.GetProperty("Message"));
        if (property?.GetValue(context) is { } message && Of(message) is var (tenant, session))
        {
            context.Headers.Set(TenantId, tenant);
            context.Headers.Set(SessionId, session);
        }
    }

    /// <summary>The tenant and session a message names, or null.</summary>
    public static (string TenantId, string SessionId)? Of(object message) => Readers.GetOrAdd(message.GetType(), type => Reader(type, depth: 0))(message);

    private static Func<object, (string, string)?> Reader(Type type, int depth)
    {
        if (type.GetProperty(nameof(TenantId)) is { PropertyType: var t } tenant && t == typeof(string)
            && type.GetProperty(nameof(SessionId)) is { PropertyType: var s } session && s == typeof(string))
        {
            return m => tenant.GetValue(m) is string a && session.GetValue(m) is string b ? (a, b) : null;
        }
        if (depth < 2)
        {
            foreach (var name in Inner)
            {
                if (type.GetProperty(name) is { } inner && inner.PropertyType != typeof(object) && !inner.PropertyType.IsPrimitive)
                {
                    var read = Reader(inner.PropertyType, depth + 1);
                    return m => inner.GetValue(m) is { } value ? read(value) : null;
                }
            }
        }
        return _ => null;
    }
}
