using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkillForge.Contracts;
using SkillForge.Testing;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>Every line of a turn carries its ids in scope, and no line above Debug carries the user's text.</summary>
public sealed class LogScopeTests
{
    [Fact]
    public async Task Should_log_the_outcome_line_with_tenant_session_turn_and_message_ids_and_no_text()
    {
        var sink = new CapturingLoggerProvider();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddLogging(b => b.AddProvider(sink))));
        var client = host.Client;
        var tenant = TestIds.Tenant();
        var secret = $"secret-{Guid.NewGuid():N}";
        var turnId = Guid.NewGuid();

        await client.SendTurnAsync(tenant, "s", $"I want a skill about {secret}", turnId);

        var outcome = Assert.Single(sink.Entries, e => e.EventId == 2002);
        Assert.Equal(LogLevel.Information, outcome.Level);
        Assert.Equal(tenant, outcome.Scope["TenantId"]);
        Assert.Equal("s", outcome.Scope["SessionId"]);
        Assert.Equal(turnId, outcome.Scope["TurnId"]);
        Assert.NotNull(outcome.Scope["MessageId"]);
        Assert.DoesNotContain(sink.Entries, e => e.Level > LogLevel.Debug && e.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_show_control_characters_of_a_rejected_id_instead_of_writing_them_to_the_log()
    {
        var sink = new CapturingLoggerProvider();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddLogging(b => b.AddProvider(sink))));
        var forged = "acme\r\n2026-12-02 [Information] all good\u001b[2J";

        var result = await host.Client.SendTurnAsync(forged, "s", "hello");

        Assert.Equal("invalid_request", result.Rejected!.Code);
        var rejected = Assert.Single(sink.Entries, e => e.EventId == 2003);
        Assert.Equal("acme\\u000d\\u000a2026-12-02 [Information] all good\\u001b[2J", rejected.Scope["TenantId"]);
        Assert.DoesNotContain(sink.Entries, e => e.Message.Contains('\r') || e.Message.Contains('\n') || e.Message.Contains('\u001b'));
    }

    [Fact]
    public async Task Should_show_control_characters_of_a_faulted_messages_ids_instead_of_writing_them_to_the_log()
    {
        var sink = new CapturingLoggerProvider();
        await using var provider = new ServiceCollection()
            .AddLogging(b => b.AddProvider(sink))
            .AddMassTransitTestHarness(bus =>
            {
                bus.AddConsumer<FaultingEraseConsumer>();
                bus.AddConsumeObserver<FaultedMessageLogger>();
            })
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        await harness.Bus.Publish(new EraseSession("acme\r\n2026-12-02 [Information] all good\u001b[2J", "s\n", null));

        Assert.True(await harness.Consumed.Any<EraseSession>(x => x.Exception is not null));
        var faulted = await Eventually.ReadAsync(() => Task.FromResult(sink.Entries.Where(e => e.EventId == 2009).ToList()), l => l.Count > 0);
        Assert.Contains("acme\\u000d\\u000a2026-12-02 [Information] all good\\u001b[2J/s\\u000a", Assert.Single(faulted).Message);
        Assert.DoesNotContain(sink.Entries, e => e.Message.Contains('\r') || e.Message.Contains('\n') || e.Message.Contains('\u001b'));
    }

    private sealed class FaultingEraseConsumer : IConsumer<EraseSession>
    {
        public Task Consume(ConsumeContext<EraseSession> context) => throw new InvalidOperationException("Redis is down");
    }
}
