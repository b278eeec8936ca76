namespace SkillForge.Sessions.Storage;

/// <summary>A session's identity: every read and write is scoped by both ids.</summary>
public readonly record struct SessionKey(string TenantId, string SessionId)
{
    public override string ToString() => $"{TenantId}/{SessionId}";
}
