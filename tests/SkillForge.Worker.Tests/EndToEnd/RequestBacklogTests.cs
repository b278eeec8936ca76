using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkillForge.Client;
using SkillForge.Contracts.Queues;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// The worker's request queues have a length limit with reject-publish: when the worker is that far behind, the broker
/// refuses a new request and the client says so at once, instead of the sender waiting out every timeout on a
/// backlog that only grows. What the queue took is still answered; what it refused was never applied.
/// </summary>
public sealed class RequestBacklogTests
{
    [Fact]
    public async Task Should_refuse_turns_at_once_when_the_queue_is_full_and_answer_every_turn_it_took()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await vhost.ApplyProductionPoliciesAsync(maxLength: 3);
        // The worker declares its queues and stops: turns wait with nobody to take them, as behind a stalled worker.
        await (await RealWorker.StartWorkerAsync(vhost.AsConfiguration())).DisposeAsync();
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var tenant = TestIds.Tenant();
        var elapsed = Stopwatch.StartNew();

        // One at a time, as senders arrive: a quorum queue starts refusing once it knows it is full, so a burst sent in
        // the same instant can overshoot the limit.
        var turns = new List<(string Session, Task<ChatTurnResult> Sending)>();
        for (var i = 0; i < 10; i++)
        {
            var sending = client.SendTurnAsync(tenant, $"s{i}", "I want a skill that formats SQL");
            turns.Add(($"s{i}", sending));
            await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(1)));
        }
        // The request timeout is 30 s and a turn is sent three times: a turn ended by now was refused by the broker.
        var refused = turns.Where(t => t.Sending.IsCompleted).ToList();
        var waiting = turns.Where(t => !t.Sending.IsCompleted).ToList();

        Assert.True(refused.Count >= 1, "no turn was refused within 10 s");
        Assert.True(waiting.Count >= 3, $"only {waiting.Count} turns were queued; the limit is 3");
        foreach (var (_, sending) in refused)
        {
            var thrown = await Assert.ThrowsAsync<SkillForgeQueueFullException>(() => sending);
            Assert.Contains("queue is at its length limit", thrown.Message, StringComparison.Ordinal);
        }
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(15), $"took {elapsed.Elapsed}");

        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        foreach (var (_, sending) in waiting)
        {
            Assert.True((await sending.WaitAsync(TimeSpan.FromSeconds(60))).IsReplied);
        }
        foreach (var (session, _) in waiting)
        {
            Assert.True((await client.GetHistoryAsync(tenant, session)).Found);
        }
        foreach (var (session, _) in refused)
        {
            Assert.False((await client.GetHistoryAsync(tenant, session)).Found); // refused means never applied
        }
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_refuse_any_request_at_once_when_its_queue_is_full()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        using var upstream = await RealWorker.FillQueueAsync(vhost, SkillForgeQueues.SessionHistory, client => client.GetHistoryAsync(TestIds.Tenant(), "waiting"));
        var client = RealWorker.ClientOf(upstream);
        var elapsed = Stopwatch.StartNew();

        var thrown = await Assert.ThrowsAsync<SkillForgeQueueFullException>(() => client.GetHistoryAsync(TestIds.Tenant(), "s"));

        Assert.Contains("the history request", thrown.Message, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"took {elapsed.Elapsed}"); // not the 35 s of a timeout
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_limit_every_request_queue_of_the_real_virtual_host()
    {
        using var http = TestBroker.Management();
        var operatorPolicies = await http.GetFromJsonAsync<JsonElement>($"api/operator-policies/{TestServers.RabbitMqVirtualHost}");
        var policies = await http.GetFromJsonAsync<JsonElement>($"api/policies/{TestServers.RabbitMqVirtualHost}");

        string[] requests = [SkillForgeQueues.ChatTurns, SkillForgeQueues.SessionHistory, SkillForgeQueues.SessionErasure,
            SkillForgeQueues.UserSessions, SkillForgeQueues.SessionExport, SkillForgeQueues.Operations];
        foreach (var queue in requests)
        {
            var limit = Matching(operatorPolicies, queue);
            Assert.True(limit.GetProperty("definition").GetProperty("max-length").GetInt32() > 0, queue);
            Assert.Equal("reject-publish", Matching(policies, queue).GetProperty("definition").GetProperty("overflow").GetString());
        }
        // The write-behind queue takes the worker's own sends, which must never be refused.
        Assert.Throws<InvalidOperationException>(() => Matching(operatorPolicies, "skillforge-pending-writes"));
    }

    /// <summary>The policy RabbitMQ applies to <paramref name="queue"/>: the highest priority whose pattern matches.</summary>
    private static JsonElement Matching(JsonElement policies, string queue) =>
        policies.EnumerateArray()
            .Where(p => p.GetProperty("apply-to").GetString() is "queues" or "all" && Regex.IsMatch(queue, p.GetProperty("pattern").GetString()!))
            .OrderByDescending(p => p.GetProperty("priority").GetInt32())
            .First();
}
