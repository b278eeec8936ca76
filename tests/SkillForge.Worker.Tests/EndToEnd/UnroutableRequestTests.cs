using System.Diagnostics;
using MassTransit;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// A virtual host where no worker ever ran and no definitions were loaded: nothing is bound to the worker's
/// exchanges. The client's requests are mandatory, so they fail at once instead of timing out three times.
/// </summary>
public sealed class UnroutableRequestTests
{
    [Fact]
    public async Task Should_fail_fast_when_no_queue_is_bound_to_the_workers_exchange()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var elapsed = Stopwatch.StartNew();

        var turn = await Assert.ThrowsAsync<RequestException>(() => client.SendTurnAsync(TestIds.Tenant(), "s", "I want a skill that formats SQL"));
        var history = await Assert.ThrowsAsync<RequestException>(() => client.GetHistoryAsync(TestIds.Tenant(), "s"));

        Assert.IsType<MessageReturnedException>(turn.InnerException);
        Assert.IsType<MessageReturnedException>(history.InnerException);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"took {elapsed.Elapsed}");
        await upstream.StopAsync();
    }
}
