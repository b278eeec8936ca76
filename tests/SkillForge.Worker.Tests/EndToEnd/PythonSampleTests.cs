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
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_hold_a_conversation_read_history_and_erase_from_python(bool tls)
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        var upstream = TestServers.RabbitMqUpstream;
        var credentials = $"{Uri.EscapeDataString(upstream.Name)}:{Uri.EscapeDataString(upstream.Password)}";
        var environment = new Dictionary<string, string>
        {
            // Over TLS by the name the dev certificate carries, and trusting only ops/dev.sh's CA, as the sample's README says.
            ["SKILLFORGE_AMQP_URL"] = tls
                ? $"amqps://{credentials}@localhost:{TestServers.RabbitMqTlsPort}/{Uri.EscapeDataString(vhost.Name)}"
                : $"amqp://{credentials}@{TestServers.RabbitMqHost}:{TestServers.RabbitMqPort}/{Uri.EscapeDataString(vhost.Name)}",
            ["SKILLFORGE_TENANT"] = TestIds.Tenant(),
            ["SKILLFORGE_TIMEOUT"] = "30",
        };
        if (tls)
        {
            environment["SKILLFORGE_CA_FILE"] = TestServers.TlsCaCertificate;
        }

        // Debian's interpreter, where python3-pika is installed (a python3 earlier on PATH may be another one).
        var (exit, output) = await SampleProcess.RunAsync("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "samples", "python", "skillforge_chat.py")], environment);

        Assert.True(exit == 0, output);
        Assert.Contains("replayed, version 3", output, StringComparison.Ordinal);
        Assert.Contains("history after the erasure: session not found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_tell_a_python_upstream_that_the_workers_queue_is_full()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        using var upstream = await RealWorker.FillChatTurnQueueAsync(vhost);
        var user = TestServers.RabbitMqUpstream;

        var (exit, output) = await SampleProcess.RunAsync("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "samples", "python", "skillforge_chat.py")], new()
        {
            ["SKILLFORGE_AMQP_URL"] = $"amqp://{Uri.EscapeDataString(user.Name)}:{Uri.EscapeDataString(user.Password)}@{TestServers.RabbitMqHost}:{TestServers.RabbitMqPort}/{Uri.EscapeDataString(vhost.Name)}",
            ["SKILLFORGE_TENANT"] = TestIds.Tenant(),
            ["SKILLFORGE_TIMEOUT"] = "30",
        });

        Assert.True(exit == 3, output);
        Assert.Contains("the worker's queue is full", output, StringComparison.Ordinal);
        Assert.Equal(1, (await vhost.GetQueueAsync(SkillForge.Contracts.Queues.SkillForgeQueues.ChatTurns)).GetProperty("messages").GetInt32());
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_refuse_a_python_upstream_over_tls_that_does_not_trust_the_brokers_ca()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        var upstream = TestServers.RabbitMqUpstream;

        var (exit, output) = await SampleProcess.RunAsync("/usr/bin/python3", [Path.Combine(RepositoryRoot.Path, "samples", "python", "skillforge_chat.py")], new()
        {
            // No SKILLFORGE_CA_FILE: the system's trust store does not know the dev CA, so the handshake must fail.
            ["SKILLFORGE_AMQP_URL"] =
                $"amqps://{Uri.EscapeDataString(upstream.Name)}:{Uri.EscapeDataString(upstream.Password)}@localhost:{TestServers.RabbitMqTlsPort}/{Uri.EscapeDataString(vhost.Name)}",
            ["SKILLFORGE_TENANT"] = TestIds.Tenant(),
            ["SKILLFORGE_TIMEOUT"] = "10",
        });

        Assert.NotEqual(0, exit);
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", output, StringComparison.Ordinal);
    }
}
