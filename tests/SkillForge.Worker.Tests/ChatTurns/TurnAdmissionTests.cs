using Microsoft.Extensions.DependencyInjection;
using SkillForge.Agent;
using SkillForge.Agent.Interview;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.ChatTurns;

/// <summary>
/// One session sending many turns at once, or one tenant, cannot take every slot of the worker: past the bounds a
/// turn is answered at once (<c>session_busy</c>, <c>rate_limited</c>), writes nothing, and other sessions go on.
/// </summary>
public sealed class TurnAdmissionTests
{
    [Fact]
    public async Task Should_answer_session_busy_at_once_past_the_bound_and_serve_other_sessions_meanwhile()
    {
        var agent = new GatedAgent();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton<ISkillAgent>(agent), new Dictionary<string, string?>
        {
            ["Worker:MaxTurnsWaitingPerSession"] = "2",
        }));
        var flood = new SessionKey(TestIds.Tenant(), TestIds.Session());

        var flooding = Enumerable.Range(0, 12).Select(i => host.Client.SendTurnAsync(flood.TenantId, flood.SessionId, $"{GatedAgent.Held} {i}")).ToList();
        await Eventually.HoldsAsync(() => Task.FromResult(flooding.Count(t => t.IsCompleted) == 9), what: "9 turns answered at once");
        // Twenty other sessions meanwhile: each has a line of its own, so none waits behind the held one (with a hash
        // partitioner some would share its partition and wait for the release).
        var others = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            host.Client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL"))).WaitAsync(TimeSpan.FromSeconds(20));
        agent.Release();
        var results = await Task.WhenAll(flooding);

        Assert.All(others, other => Assert.True(other.IsReplied)); // while the flood's three turns still held their slots
        Assert.Equal(9, results.Count(r => r.Rejected?.Code == "session_busy"));
        Assert.Equal(3, results.Count(r => r.IsReplied));
        Assert.All(results.Where(r => r.Rejected is not null), r => Assert.Contains("already in progress or waiting", r.Rejected!.Reason, StringComparison.Ordinal));
        Assert.Equal(3, (await host.Services.GetRequiredService<SessionStore>().LoadAsync(flood, default))!.Version);
    }

    [Fact]
    public async Task Should_answer_rate_limited_with_the_delay_past_a_tenants_share_and_serve_other_tenants()
    {
        var agent = new GatedAgent();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton<ISkillAgent>(agent), new Dictionary<string, string?>
        {
            ["Worker:MaxTurnsInFlightPerTenant"] = "2",
            ["Worker:RateLimitedRetryAfter"] = "00:00:02",
        }));
        var tenant = TestIds.Tenant();

        var held = Enumerable.Range(0, 2).Select(i => host.Client.SendTurnAsync(tenant, TestIds.Session(), $"{GatedAgent.Held} {i}")).ToList();
        await agent.WaitForHeldAsync(2);
        var third = await host.Client.SendTurnAsync(tenant, TestIds.Session(), "I want a skill that formats SQL").WaitAsync(TimeSpan.FromSeconds(10));
        var otherTenant = await host.Client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL").WaitAsync(TimeSpan.FromSeconds(10));
        agent.Release();
        var released = await Task.WhenAll(held);

        Assert.Equal("rate_limited", third.Rejected?.Code);
        Assert.Contains("send again after 2 s", third.Rejected!.Reason, StringComparison.Ordinal);
        Assert.True(otherTenant.IsReplied);
        Assert.All(released, r => Assert.True(r.IsReplied));
    }

    [Fact]
    public async Task Should_run_the_turns_of_one_session_one_at_a_time_and_other_sessions_alongside()
    {
        var agent = new OverlapProbeAgent();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton<ISkillAgent>(agent)));
        var tenant = TestIds.Tenant();
        var sessions = new[] { TestIds.Session(), TestIds.Session() };

        // The agent sees only the text, so each text names its session.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).SelectMany(i =>
            sessions.Select(session => host.Client.SendTurnAsync(tenant, session, $"{session} detail number {i}"))));

        Assert.All(results, r => Assert.True(r.IsReplied));
        Assert.Equal(1, agent.MostAtOnceInOneSession); // never two turns of a session in the agent together
        Assert.Equal(2, agent.MostAtOnce); // the two sessions did run side by side
    }

    /// <summary>The offline agent, slowed down, recording how many turns it runs at once overall and per session.</summary>
    private sealed class OverlapProbeAgent : ISkillAgent
    {
        private readonly SkillAgent _inner = new(new InterviewResponder());
        private readonly Dictionary<string, int> _bySession = [];
        private readonly Lock _gate = new();
        private int _running;

        public int MostAtOnce { get; private set; }

        public int MostAtOnceInOneSession { get; private set; }

        public async Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken)
        {
            var session = input.UserText.Split(' ')[0];
            lock (_gate)
            {
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
                _bySession[session] = _bySession.GetValueOrDefault(session) + 1;
                MostAtOnceInOneSession = Math.Max(MostAtOnceInOneSession, _bySession[session]);
            }
            try
            {
                await Task.Delay(50, cancellationToken);
                return await _inner.RespondAsync(input, cancellationToken);
            }
            finally
            {
                lock (_gate)
                {
                    _running--;
                    _bySession[session]--;
                }
            }
        }
    }

    /// <summary>The offline agent, holding every turn whose text starts with <see cref="Held"/> until released.</summary>
    private sealed class GatedAgent : ISkillAgent
    {
        public const string Held = "hold this detail";

        private readonly SkillAgent _inner = new(new InterviewResponder());
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public void Release() => _gate.TrySetResult();

        public Task WaitForHeldAsync(int count) =>
            Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref _held) >= count), what: $"{count} turns held");

        public async Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken)
        {
            if (input.UserText.StartsWith(Held, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _held);
                await _gate.Task.WaitAsync(cancellationToken);
            }
            return await _inner.RespondAsync(input, cancellationToken);
        }
    }
}
