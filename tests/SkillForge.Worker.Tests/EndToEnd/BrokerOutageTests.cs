using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// The worker loses RabbitMQ (a TCP proxy in front of the real broker, cut and restored) while an upstream service
/// keeps sending: the turns wait in the durable queue, the worker reconnects on its own and answers them. Own
/// virtual host, so this worker is the only consumer.
/// </summary>
public sealed class BrokerOutageTests
{
    [Fact]
    public async Task Should_reconnect_on_its_own_and_answer_the_turns_that_waited_in_the_queue()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var proxy = TcpProxy.To(TestServers.RabbitMqPort);
        var settings = new Dictionary<string, string?>(vhost.AsConfiguration())
        {
            ["RabbitMq:Port"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var worker = await RealWorker.StartWorkerAsync(settings);
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var tenant = TestIds.Tenant();
        var before = await client.SendTurnAsync(tenant, "s", "I want a skill that formats SQL");

        proxy.Cut();
        var waiting = Enumerable.Range(0, 4).Select(i => client.SendTurnAsync(tenant, $"w-{i}", "I want a skill that lints YAML")).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var answeredWhileCut = waiting.Count(t => t.IsCompleted);
        proxy.Restore();
        // Bounded: a worker that never consumes again must fail this test, not hang the run.
        var after = await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(before.IsReplied);
        Assert.Equal(0, answeredWhileCut);
        Assert.All(after, r => Assert.Equal((1L, false), (r.Replied!.Version, r.Replied.Replayed)));
        await upstream.StopAsync();
    }
}
