using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Agent;
using SkillForge.Agent.Interview;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// Stopping the worker (what SIGTERM does) over the real broker, in a virtual host of the test's own so no other
/// worker of the test run takes the turns: turns in flight finish and are answered; turns not yet started go back
/// to the queue and the next worker answers them. Nothing is lost.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Should_finish_turns_in_flight_and_leave_the_rest_to_the_next_worker()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        var agent = new SlowAgent(TimeSpan.FromSeconds(2));
        var settings = new Dictionary<string, string?>(vhost.AsConfiguration()) { ["Worker:ChatTurnConcurrency"] = "2" };
        var worker = await RealWorker.StartWorkerAsync(settings, s => s.AddSingleton<ISkillAgent>(agent));
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var tenant = TestIds.Tenant();
        var turns = Enumerable.Range(0, 6).Select(i => client.SendTurnAsync(tenant, $"s-{i}", "I want a skill that formats SQL")).ToList();

        await agent.FirstStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var startedBeforeStop = agent.Started;
        var stopping = Stopwatch.StartNew();
        await worker.StopAsync();
        stopping.Stop();
        var finishedByStop = agent.Finished;
        await worker.DisposeAsync();
        await using var next = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        var results = await Task.WhenAll(turns);

        Assert.True(startedBeforeStop >= 1);
        Assert.True(finishedByStop >= startedBeforeStop, $"{startedBeforeStop} turns were in flight, {finishedByStop} finished by the stop");
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stop took {stopping.Elapsed}");
        Assert.All(results, r => Assert.Equal(1, r.Replied!.Version));
        var store = next.Services.GetRequiredService<SessionStore>();
        for (var i = 0; i < 6; i++)
        {
            var history = await store.ReadHistoryAsync(new SessionKey(tenant, $"s-{i}"), 100, null, default);
            Assert.Equal(2, history!.Messages.Count);
        }
        await upstream.StopAsync();
    }

    /// <summary>The offline agent, taking <paramref name="delay"/> per turn (a slow LLM); counts turns started and finished.</summary>
    private sealed class SlowAgent(TimeSpan delay) : ISkillAgent
    {
        private readonly SkillAgent _inner = new(new InterviewResponder());
        private int _started;
        private int _finished;

        public TaskCompletionSource FirstStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Started => Volatile.Read(ref _started);

        public int Finished => Volatile.Read(ref _finished);

        public async Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            FirstStarted.TrySetResult();
            // Deliberately not cancelled by the token: a slow model call that the stop must wait for.
            await Task.Delay(delay, CancellationToken.None);
            var result = await _inner.RespondAsync(input, cancellationToken);
            Interlocked.Increment(ref _finished);
            return result;
        }
    }
}
