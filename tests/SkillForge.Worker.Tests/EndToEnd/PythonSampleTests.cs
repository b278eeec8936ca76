using System.Diagnostics;
using SkillForge.Harness;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// samples/python, an upstream written without .NET or MassTransit (Debian's python3 and python3-pika), holds a
/// conversation with the real worker over plain AMQP, resends a turn, reads the history and erases the session: the
/// wire protocol as docs/wire-protocol.md tells another language to speak it.
/// </summary>
public sealed class PythonSampleTests
{
    [Fact]
    public async Task Should_hold_a_conversation_read_history_and_erase_from_python()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        var upstream = TestServers.RabbitMqUpstream;
        // Debian's interpreter, where python3-pika is installed (a python3 earlier on PATH may be another one).
        var start = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "samples", "python", "skillforge_chat.py")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SKILLFORGE_AMQP_URL"] =
            $"amqp://{Uri.EscapeDataString(upstream.Name)}:{Uri.EscapeDataString(upstream.Password)}@{TestServers.RabbitMqHost}:{TestServers.RabbitMqPort}/{Uri.EscapeDataString(vhost.Name)}";
        start.Environment["SKILLFORGE_TENANT"] = TestIds.Tenant();
        start.Environment["SKILLFORGE_TIMEOUT"] = "30";

        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(python.ExitCode == 0, $"exit {python.ExitCode}\n{await output}\n{await errors}");
        Assert.Contains("replayed, version 3", await output, StringComparison.Ordinal);
        Assert.Contains("history after the erasure: session not found", await output, StringComparison.Ordinal);
    }
}
