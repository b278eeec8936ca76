namespace SkillForge.Sessions.Storage;

/// <summary>A stored session row that cannot be read (bad context document, unknown status). Never retried.</summary>
public sealed class CorruptSessionException(SessionKey key, string detail, Exception? inner = null)
    : Exception($"Session {key} is stored in a form that cannot be read: {detail}", inner)
{
    public SessionKey Key { get; } = key;
}
