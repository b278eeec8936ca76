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
        var (exit, output) = await SampleProcess.RunAsync("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "samples", "python", "skillforge_chat.py")], new()
        {
            ["SKILLFORGE_AMQP_URL"] =
                $"amqp://{Uri.EscapeDataString(upstream.Name)}:{Uri.EscapeDataString(upstream.Password)}@{TestServers.RabbitMqHost}:{TestServers.RabbitMqPort}/{Uri.EscapeDataString(vhost.Name)}",
            ["SKILLFORGE_TENANT"] = TestIds.Tenant(),
            ["SKILLFORGE_TIMEOUT"] = "30",
        });

        Assert.True(exit == 0, output);
        Assert.Contains("replayed, version 3", output, StringComparison.Ordinal);
        Assert.Contains("history after the erasure: session not found", output, StringComparison.Ordinal);
    }
}
