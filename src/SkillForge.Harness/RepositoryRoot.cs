namespace SkillForge.Harness;

/// <summary>The clone a tool or test runs from: the folder above its binaries that holds the solution.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SkillForge.Messaging.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No SkillForge.Messaging.sln above {AppContext.BaseDirectory}.");
    }
}
