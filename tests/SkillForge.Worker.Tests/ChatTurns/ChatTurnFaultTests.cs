using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkillForge.Agent;
using SkillForge.Contracts;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Worker.ChatTurns;
using SkillForge.Worker.Tests.Observability;

namespace SkillForge.Worker.Tests.ChatTurns;

/// <summary>
/// What happens when a turn throws: a transient fault is retried in memory and the turn still succeeds; anything
/// else (a bug) faults at once, lands in the endpoint's error queue and reaches the client as a fault, writing nothing.
/// </summary>
public sealed class ChatTurnFaultTests
{
    [Fact]
    public async Task Should_retry_a_transient_fault_and_apply_the_turn_once()
    {
        var agent = new FaultingAgent(new TimeoutException("the model timed out"), failures: 2);
        var logs = new CapturingLoggerProvider();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton<ISkillAgent>(agent).AddLogging(b => b.AddProvider(logs))));
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();

        var result = await host.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");

        Assert.True(result.IsReplied, result.Rejected?.Reason);
        Assert.Equal(1, result.Replied!.Version);
        Assert.Equal(3, agent.Calls);
        var history = await host.Services.GetRequiredService<SessionStore>().ReadHistoryAsync(new SessionKey(tenant, session), 100, null, default);
        Assert.Equal(2, history!.Messages.Count);
        Assert.Equal(2, logs.Entries.Count(e => e.EventId == 2006)); // a warning per failed attempt
        Assert.DoesNotContain(logs.Entries, e => e.EventId == 2009); // and no "failed for good"
    }

    [Fact]
    public async Task Should_fault_a_turn_that_hits_a_bug_at_once_and_write_nothing()
    {
        var agent = new FaultingAgent(new InvalidOperationException("a bug in the agent"), failures: int.MaxValue);
        var logs = new CapturingLoggerProvider();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddSingleton<ISkillAgent>(agent).AddLogging(b => b.AddProvider(logs))));
        var harness = host.Services.GetRequiredService<ITestHarness>();
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();

        var fault = await Assert.ThrowsAsync<RequestFaultException>(() => host.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL"));

        Assert.Contains("a bug in the agent", fault.Message);
        Assert.Equal(1, agent.Calls); // not a transient fault: no retry
        var consumed = harness.GetConsumerHarness<ProcessChatTurnConsumer>().Consumed.Select<ProcessChatTurn>().Single();
        Assert.IsType<InvalidOperationException>(consumed.Exception);
        Assert.True(await harness.Sent.Any<Fault<ProcessChatTurn>>()); // to the requester; the message itself goes to _error
        Assert.Null(await host.Services.GetRequiredService<SessionStore>().LoadAsync(new SessionKey(tenant, session), default));
        // One Error line for the operator, with the ids, once the message is given up on.
        var given = Assert.Single(logs.Entries, e => e.EventId == 2009);
        Assert.Equal(LogLevel.Error, given.Level);
        Assert.Contains($"ProcessChatTurn {consumed.Context.MessageId} of {tenant}/{session} failed for good (InvalidOperationException)", given.Message);
    }
}
