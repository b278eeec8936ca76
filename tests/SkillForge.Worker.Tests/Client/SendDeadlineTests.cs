using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Client;

/// <summary>
/// A send that never completes (a publish whose confirmation never comes: the RabbitMQ node died with it) must not
/// hang the caller: each attempt ends at its own deadline, the turn is sent again with the same TurnId, and after the
/// last attempt the caller gets a <see cref="RequestTimeoutException"/>. That holds even for a send that ignores its
/// cancellation token (rabbitmq-dotnet-client#1930: a publish after a broker restart), and for every request the
/// client makes, not only chat turns.
/// </summary>
public sealed class SendDeadlineTests
{
    [Fact]
    public async Task Should_give_up_on_a_send_that_never_completes_after_every_attempt()
    {
        var hanging = new HangingSendFilter();
        await using var host = await StartAsync(hanging, TimeSpan.FromSeconds(1), attempts: 2);
        var client = host.Client;
        var turnId = Guid.NewGuid();

        // Bounded: a regression hangs, and WaitAsync turns that into a failure instead of a stuck run.
        var sending = client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL", turnId);
        await Assert.ThrowsAsync<RequestTimeoutException>(() => sending.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal([turnId, turnId], hanging.TurnIds); // sent twice, the same turn both times
    }

    [Fact]
    public async Task Should_give_up_on_a_send_that_ignores_its_cancellation()
    {
        // Before the caller stopped waiting at the deadline itself, this send kept the turn waiting forever.
        var hanging = new HangingSendFilter(ignoresCancellation: true);
        await using var host = await StartAsync(hanging, TimeSpan.FromSeconds(1), attempts: 2);
        var client = host.Client;
        var turnId = Guid.NewGuid();

        var sending = client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL", turnId);
        var thrown = await Assert.ThrowsAsync<RequestTimeoutException>(() => sending.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal([turnId, turnId], hanging.TurnIds);
        Assert.IsAssignableFrom<OperationCanceledException>(thrown.InnerException); // the deadline ended it
        Assert.Contains("its send did not complete", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("history", false)]
    [InlineData("history", true)]
    [InlineData("erase", false)]
    [InlineData("erase", true)]
    [InlineData("listing", false)]
    [InlineData("listing", true)]
    public async Task Should_give_up_on_a_hanging_send_of_every_other_request(string request, bool ignoresCancellation)
    {
        var hanging = new HangingSendFilter(ignoresCancellation);
        await using var host = await StartAsync(hanging, TimeSpan.FromSeconds(1), attempts: 3);
        var client = host.Client;
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());

        Task calling = request switch
        {
            "history" => client.GetHistoryAsync(tenant, session),
            "erase" => client.EraseAsync(tenant, session, "test"),
            _ => client.ListSessionsAsync(tenant),
        };
        var thrown = await Assert.ThrowsAsync<RequestTimeoutException>(() => calling.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(1, hanging.Sends); // one attempt: only chat turns are sent again
        Assert.Contains($"the {request} request", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_end_at_once_when_the_caller_cancels_a_hanging_send()
    {
        var hanging = new HangingSendFilter();
        await using var host = await StartAsync(hanging, TimeSpan.FromSeconds(30), attempts: 3);
        var client = host.Client;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var sending = client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "I want a skill that formats SQL", cancellationToken: cancel.Token);
        var thrown = await Record.ExceptionAsync(() => sending.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.NotNull(thrown);
        Assert.IsNotType<TimeoutException>(thrown); // ended by the caller's cancellation, not by the test's bound
        Assert.IsNotType<RequestTimeoutException>(thrown); // and not reported as a timeout
        Assert.Single(hanging.TurnIds); // not sent again once the caller gave up
    }

    /// <summary>The client alone over the in-memory harness, every send passing through <paramref name="hanging"/>.</summary>
    private static async Task<ClientHost> StartAsync(HangingSendFilter hanging, TimeSpan requestTimeout, int attempts)
    {
        var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .Configure<SkillForgeClientOptions>(o => { o.RequestTimeout = requestTimeout; o.SendGrace = TimeSpan.FromMilliseconds(200); o.TurnAttempts = attempts; })
            .AddMassTransitTestHarness(x =>
            {
                x.AddSkillForgeClient();
                x.UsingInMemory((context, cfg) => cfg.ConfigureSend(send => send.UseFilter(hanging)));
            })
            .BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return new ClientHost(provider, harness);
    }

    /// <summary>Stops the bus before the container goes (sends left hanging included), then disposes it.</summary>
    private sealed class ClientHost(ServiceProvider provider, ITestHarness harness) : IAsyncDisposable
    {
        public SkillForgeClient Client { get; } = provider.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();

        public async ValueTask DisposeAsync()
        {
            await harness.Stop().WaitAsync(TimeSpan.FromSeconds(30));
            await provider.DisposeAsync();
        }
    }

    /// <summary>
    /// Holds every request's send: until its cancellation token fires, as an unconfirmed publish does, or for ever when
    /// it <paramref name="ignoresCancellation"/>.
    /// </summary>
    private sealed class HangingSendFilter(bool ignoresCancellation = false) : IFilter<SendContext>
    {
        private readonly List<Guid> _turnIds = [];
        private int _sends;

        public int Sends => Volatile.Read(ref _sends);

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
            }
            if (context is SendContext<ProcessChatTurn> or SendContext<GetSessionHistory> or SendContext<EraseSession> or SendContext<ListSessions>)
            {
                Interlocked.Increment(ref _sends);
                await (ignoresCancellation ? Never.Task : Task.Delay(Timeout.Infinite, context.CancellationToken));
            }
            await next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("hanging-send");

        private static readonly TaskCompletionSource Never = new();
    }
}
