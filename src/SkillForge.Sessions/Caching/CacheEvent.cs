namespace SkillForge.Sessions.Caching;

/// <summary>What happened on one use of the session cache.</summary>
public enum CacheEvent
{
    Hit,
    Miss,
    Error,
    Bypassed,
}
