using Microsoft.Extensions.Configuration;
using SkillForge.Testing;

namespace SkillForge.Cli.Tests;

/// <summary>Runs the CLI in-process as a user would, with its input redirected and its output and errors captured.</summary>
internal static class CliRunner
{
    /// <returns>The exit code, and what a person on a terminal would see: the output, then the errors.</returns>
    public static Task<(int ExitCode, string Output)> RunAsync(string input, params string[] args) =>
        RunWithAsync(new Dictionary<string, string?>(), input, args);

    /// <summary>As <see cref="RunAsync"/>, with <paramref name="settings"/> over the test servers' configuration.</summary>
    public static async Task<(int ExitCode, string Output)> RunWithAsync(IDictionary<string, string?> settings, string input, params string[] args)
    {
        var (exitCode, output, error) = await RunSplitAsync(settings, input, args);
        return (exitCode, output + error);
    }

    /// <summary>The exit code, standard output and standard error apart: what a script reading the output gets.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunSplitAsync(IDictionary<string, string?> settings, string input, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestServers.AsConfiguration())
            .AddInMemoryCollection(TestServers.As(TestServers.RabbitMqOperator)).AddInMemoryCollection(settings).Build();
        var (output, error) = (new StringWriter(), new StringWriter());
        var exitCode = await CliApp.RunAsync(args, new CliEnvironment(new StringReader(input), output, configuration, error));
        return (exitCode, output.ToString(), error.ToString());
    }
}
