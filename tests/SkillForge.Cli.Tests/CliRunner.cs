using Microsoft.Extensions.Configuration;
using SkillForge.Testing;

namespace SkillForge.Cli.Tests;

/// <summary>Runs the CLI in-process as a user would, with its input redirected and its output captured.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output)> RunAsync(string input, params string[] args) =>
        RunWithAsync(new Dictionary<string, string?>(), input, args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="settings"/> over the test servers' configuration.</summary>
    public static async Task<(int ExitCode, string Output)> RunWithAsync(IDictionary<string, string?> settings, string input, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestServers.AsConfiguration())
            .AddInMemoryCollection(TestServers.As(TestServers.RabbitMqOperator)).AddInMemoryCollection(settings).Build();
        var output = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, new CliEnvironment(new StringReader(input), output, configuration));
        return (exitCode, output.ToString());
    }
}
