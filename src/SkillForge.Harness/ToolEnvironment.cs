namespace SkillForge.Harness;

/// <summary>A tool's settings come from the environment, as the worker's do, else ops/dev.sh's development values.</summary>
public static class ToolEnvironment
{
    public static string Get(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;
}
