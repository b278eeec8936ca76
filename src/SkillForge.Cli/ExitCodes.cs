namespace SkillForge.Cli;

/// <summary>What the CLI's exit code means, for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int RejectedOrNotFound = 1;
    public const int Usage = 2;
    public const int Infrastructure = 3;
}
