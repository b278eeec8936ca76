using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Client;

/// <summary>
/// A send that never completes (a publish whose confirmation never comes: the RabbitMQ node died with it) must not
/// hang the caller: each attempt ends at its own deadline, the turn is sent again with the same TurnId, and after the
/// last attempt the caller gets a <see cref="RequestTimeoutException"/>.
/// </summary>
public sealed class SendDeadlineTests
{
    [Fact]
    public async Task Should_give_up_on_a_send_that_never_completes_after_every_attempt()
    {
        var hanging = new HangingSendFilter();
        await using var provider = await StartAsync(hanging, TimeSpan.FromSeconds(1), attempts: 2);
        var client = provider.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
        var turnId = Guid.NewGuid();

        // Bounded: a regression hangs, and WaitAsync turns that into a failure instead of a stuck run.
        var sending = client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL", turnId);
        await Assert.ThrowsAsync<RequestTimeoutException>(() => sending.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal([turnId, turnId], hanging.TurnIds); // sent twice, the same turn both times
    }

    [Fact]
    public async Task Should_end_at_once_when_the_caller_cancels_a_hanging_send()
    {
        var hanging = new HangingSendFilter();
        await using var provider = await StartAsync(hanging, TimeSpan.FromSeconds(30), attempts: 3);
        var client = provider.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var sending = client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL", cancellationToken: cancel.Token);
        var thrown = await Record.ExceptionAsync(() => sending.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.NotNull(thrown);
        Assert.IsNotType<TimeoutException>(thrown); // ended by the caller's cancellation, not by the test's bound
        Assert.IsNotType<RequestTimeoutException>(thrown); // and not reported as a timeout
        Assert.Single(hanging.TurnIds); // not sent again once the caller gave up
    }

    /// <summary>The client alone over the in-memory harness, every send passing through <paramref name="hanging"/>.</summary>
    private static async Task<ServiceProvider> StartAsync(HangingSendFilter hanging, TimeSpan requestTimeout, int attempts)
    {
        var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .Configure<SkillForgeClientOptions>(o => { o.RequestTimeout = requestTimeout; o.TurnAttempts = attempts; })
            .AddMassTransitTestHarness(x =>
            {
                x.AddSkillForgeClient();
                x.UsingInMemory((context, cfg) => cfg.ConfigureSend(send => send.UseFilter(hanging)));
            })
            .BuildServiceProvider(true);
        await provider.GetRequiredService<ITestHarness>().Start();
        return provider;
    }

    /// <summary>Holds every chat-turn send until its cancellation token fires, as an unconfirmed publish does.</summary>
    private sealed class HangingSendFilter : IFilter<SendContext>
    {
        private readonly List<Guid> _turnIds = [];

        public IReadOnlyList<Guid> TurnIds
        {
            get
            {
                lock (_turnIds)
                {
                    return [.. _turnIds];
                }
            }
        }

        public async Task Send(SendContext context, IPipe<SendContext> next)
        {
            if (context is SendContext<ProcessChatTurn> turn)
            {
                lock (_turnIds)
                {
                    _turnIds.Add(turn.Message.TurnId);
                }
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            await next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("hanging-send");
    }
}
