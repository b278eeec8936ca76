using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Tests.Observability;

namespace SkillForge.Worker.Tests.Hosting;

/// <summary>
/// A reply whose send never completes (seen in the fault suite after a broker restart: a consume waiting for good on a
/// channel's unfinished topology set-up) must not hold its consumer slot for good: the send is given up after
/// <see cref="WorkerOptions.SendTimeout"/>, the message is retried, and the retry answers — a chat turn from the store.
/// </summary>
public sealed class StuckReplyTests
{
    private static readonly Dictionary<string, string?> ShortSendTimeout = new() { ["Worker:SendTimeout"] = "00:00:01" };

    [Fact]
    public async Task Should_give_up_a_stuck_reply_and_answer_the_turn_from_the_store_on_retry()
    {
        var stuck = new FirstSendNeverCompletes<ChatTurnReplied>();
        var logs = new CapturingLoggerProvider();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(s => s.AddLogging(b => b.AddProvider(logs)), ShortSendTimeout,
            bus => bus.ConfigureSend(send => send.UseFilter(stuck))));
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());

        // Before the bound, this consume waited for good and the client timed out (then resent: a second slot).
        ChatTurnResult result;
        try
        {
            result = await host.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL").WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            stuck.Release(); // else stopping the bus waits for the held send
        }

        Assert.True(result.IsReplied, result.Rejected?.Reason);
        Assert.Equal(1, result.Replied!.Version);
        Assert.True(result.Replied.Replayed); // the retry found the turn applied, and answered it from the store
        Assert.Equal(1, stuck.Held);
        var history = await host.Services.GetRequiredService<SessionStore>().ReadHistoryAsync(new SessionKey(tenant, session), 100, null, default);
        Assert.Equal(2, history!.Messages.Count); // applied once
        Assert.Single(logs.Entries, e => e.EventId == 2040); // "Sending the reply to turn … did not complete"
    }

    [Fact]
    public async Task Should_give_up_a_stuck_history_answer_and_answer_on_retry()
    {
        var stuck = new FirstSendNeverCompletes<SessionNotFound>();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(settings: ShortSendTimeout,
            bus: bus => bus.ConfigureSend(send => send.UseFilter(stuck))));

        SessionHistoryResult history;
        try
        {
            history = await host.Client.GetHistoryAsync(TestIds.Tenant(), TestIds.Session()).WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            stuck.Release();
        }

        Assert.Null(history.History);
        Assert.Equal(1, stuck.Held);
    }

    [Fact]
    public async Task Should_answer_a_retried_erasure_with_what_its_first_attempt_erased()
    {
        var stuck = new FirstSendNeverCompletes<SessionErased>();
        await using var host = new AsyncHost(await WorkerTestHost.StartAsync(settings: ShortSendTimeout,
            bus: bus => bus.ConfigureSend(send => send.UseFilter(stuck))));
        var (tenant, session) = (TestIds.Tenant(), TestIds.Session());
        Assert.True((await host.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL")).IsReplied);

        SessionErased erased;
        try
        {
            erased = (await host.Client.EraseAsync(tenant, session, "user request").WaitAsync(TimeSpan.FromSeconds(20))).Erased!;
        }
        finally
        {
            stuck.Release();
        }

        // The first attempt erased the session and its answer never left; the retry found nothing left, and before
        // the request's attempts were kept it answered "did not exist".
        Assert.Equal(1, stuck.Held);
        Assert.True(erased.Existed);
        Assert.Equal(2, erased.MessagesDeleted);
        Assert.Null(await host.Services.GetRequiredService<SessionStore>().LoadAsync(new SessionKey(tenant, session), default));
    }

    [Fact]
    public async Task Should_end_a_send_that_never_completes_at_the_timeout()
    {
        var deadline = Deadline(TimeSpan.FromMilliseconds(200));

        var thrown = await Assert.ThrowsAsync<SendTimeoutException>(() => deadline.WithinAsync(new TaskCompletionSource().Task, "a test message")
            .WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.IsAssignableFrom<TimeoutException>(thrown); // so the endpoints' retry policy takes it as transient
        Assert.Contains("Sending a test message did not complete within 00:00:00.2", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_pass_a_send_that_completes_or_fails_on_its_own_through_unchanged()
    {
        var deadline = Deadline(TimeSpan.FromSeconds(5));
        var refused = new InvalidOperationException("no route");

        await deadline.WithinAsync(Task.Delay(10), "a quick message");
        Assert.Same(refused, await Assert.ThrowsAsync<InvalidOperationException>(() => deadline.WithinAsync(Task.FromException(refused), "a refused message")));
        // A timeout of the send's own is its own, not one of ours.
        var own = await Assert.ThrowsAsync<TimeoutException>(() => deadline.WithinAsync(Task.FromException(new TimeoutException("broker")), "x"));
        Assert.IsNotType<SendTimeoutException>(own);
    }

    private static SendDeadline Deadline(TimeSpan timeout) =>
        new(Options.Create(new WorkerOptions { SendTimeout = timeout }), NullLogger<SendDeadline>.Instance);

    /// <summary>The first send of a <typeparamref name="T"/> does not complete, token or not, until released; later ones pass.</summary>
    private sealed class FirstSendNeverCompletes<T> : IFilter<SendContext>
        where T : class
    {
        private readonly TaskCompletionSource _never = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        /// <summary>At the test's end, so that stopping the bus does not wait out the held send.</summary>
        public void Release() => _never.TrySetResult();

        public int Held => Volatile.Read(ref _held);

        public async Task Send(SendContext context, IPipe<SendContext> next)
        {
            if (context is SendContext<T> && Interlocked.CompareExchange(ref _held, 1, 0) == 0)
            {
                await _never.Task;
            }
            await next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("first-send-never-completes");
    }
}
