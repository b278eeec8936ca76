namespace SkillForge.Worker.Security;

/// <summary>The parties whose messages the worker acts on beyond the public requests.</summary>
[Flags]
public enum TrustedParties
{
    None = 0,
    Operator = 1,
    Worker = 2,
}
