using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Worker.Security;
using SkillForge.Worker.WriteBehind;

namespace SkillForge.Worker.Tests.WriteBehind;

/// <summary>
/// The applier of written-behind turns, fed straight through its queue (the outage that produces such writes is
/// PostgresOutageTests' subject): order by version whatever the queue's order, idempotence, erasure winning, and a
/// write PostgreSQL has moved past stopping in <c>_error</c> instead of being applied out of order.
/// </summary>
public sealed class PendingTurnWriteConsumerTests : HarnessTests
{
    private ITestHarness Harness => Host.Services.GetRequiredService<ITestHarness>();

    private Task QueueAsync(TurnToAppend turn) => Host.Services.GetRequiredService<WriteBehindQueue>().SendAsync(new PendingTurnWrite(turn), default);

    [Fact]
    public async Task Should_apply_writes_queued_in_the_wrong_order_in_version_order()
    {
        var key = await StartSessionAsync();
        var second = Write(key, 1, "Name it sql-formatter");
        var third = Write(key, 2, "It should uppercase keywords");

        await QueueAsync(third);
        await QueueAsync(second);
        var store = await SharedDatabase.CreateStoreAsync();
        var stored = await Eventually.ReadAsync(() => store.LoadAsync(key, default), s => s?.Version == 3);

        Assert.Equal(3, stored!.Version);
        var history = (await store.ReadHistoryAsync(key, 100, null, default))!.Messages;
        Assert.Equal([second.UserText, second.Reply, third.UserText, third.Reply], history.Skip(2).Select(m => m.Content));
        Assert.True(Harness.GetConsumerHarness<PendingTurnWriteConsumer>().Consumed.Select<PendingTurnWrite>(m => m.Context.Message.Turn.TurnId == third.TurnId).Count() >= 2,
            "the early write went to the back of the queue at least once");
        Assert.False(await Harness.Published.Any<Fault<PendingTurnWrite>>());
    }

    [Fact]
    public async Task Should_apply_a_redelivered_write_once_and_clear_the_pending_entry()
    {
        var key = await StartSessionAsync();
        var cache = Host.Services.GetRequiredService<SessionCache>();
        var cached = (await cache.GetAsync(key))!;
        var write = Write(key, 1, "Name it sql-formatter");
        await cache.TryReserveAsync(cached with { Version = 2, MessageCount = 4 }, 1, TimeSpan.FromHours(1));

        await QueueAsync(write);
        await QueueAsync(write);
        var consumer = Harness.GetConsumerHarness<PendingTurnWriteConsumer>();
        await Eventually.ReadAsync(() => Task.FromResult(consumer.Consumed.Select<PendingTurnWrite>(m => m.Context.Message.Turn.TurnId == write.TurnId).Count()), n => n == 2);

        var history = (await (await SharedDatabase.CreateStoreAsync()).ReadHistoryAsync(key, 100, null, default))!;
        Assert.Equal((2L, 4), (history.Session.Version, history.Messages.Count));
        Assert.Equal((2L, false), ((await cache.GetEntryAsync(key))!.Session.Version, (await cache.GetEntryAsync(key))!.Pending));
        Assert.False(await Harness.Published.Any<Fault<PendingTurnWrite>>());
    }

    [Fact]
    public async Task Should_drop_the_write_of_a_session_erased_after_it_was_answered()
    {
        var key = await StartSessionAsync();
        var write = Write(key, 1, "Name it sql-formatter");
        await Client.EraseAsync(key.TenantId, key.SessionId, "user asked");

        await QueueAsync(write);

        Assert.True(await Harness.GetConsumerHarness<PendingTurnWriteConsumer>().Consumed.Any<PendingTurnWrite>(m => m.Context.Message.Turn.TurnId == write.TurnId));
        Assert.Null(await (await SharedDatabase.CreateStoreAsync()).LoadAsync(key, default));
        Assert.False(await Harness.Published.Any<Fault<PendingTurnWrite>>());
    }

    [Theory]
    [InlineData(0, false)] // the first turn of the erased life: its append would create the session again
    [InlineData(1, true)] // a later turn, after the id was reused: it would become the new session's second turn
    public async Task Should_drop_a_write_from_the_sessions_life_before_its_erasure(long expectedVersion, bool reuseId)
    {
        var key = await StartSessionAsync();
        var write = Write(key, expectedVersion, "Name it sql-formatter");
        await Task.Delay(10); // the erasure comes after the write was answered
        await Client.EraseAsync(key.TenantId, key.SessionId, "user asked");
        if (reuseId)
        {
            Assert.Equal(1, (await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a new skill")).Replied!.Version);
        }

        await QueueAsync(write);

        Assert.True(await Harness.GetConsumerHarness<PendingTurnWriteConsumer>().Consumed.Any<PendingTurnWrite>(m => m.Context.Message.Turn.TurnId == write.TurnId));
        var stored = await (await SharedDatabase.CreateStoreAsync()).LoadAsync(key, default);
        Assert.Equal(reuseId ? 1 : null, stored?.Version);
        Assert.Null(await (await SharedDatabase.CreateStoreAsync()).FindTurnAsync(key, write.TurnId, default));
        Assert.False(await Harness.Published.Any<Fault<PendingTurnWrite>>(f => f.Context.Message.Message.Turn.TurnId == write.TurnId));
    }

    [Fact]
    public async Task Should_fault_a_write_postgres_has_moved_past_and_let_the_session_go_on_from_postgres()
    {
        var key = await StartSessionAsync();
        var cache = Host.Services.GetRequiredService<SessionCache>();
        var cached = (await cache.GetAsync(key))!;
        var orphan = Write(key, 1, "Answered from the cache while PostgreSQL was down");
        await cache.TryReserveAsync(cached with { Version = 2 }, 1, TimeSpan.FromHours(1));
        // A turn that went around the queue (Redis lost the pending entry as well) took version 2 in PostgreSQL.
        await (await SharedDatabase.CreateStoreAsync()).AppendTurnAsync(Write(key, 1, "Around the queue"), default);

        await QueueAsync(orphan);

        Assert.True(await Harness.Published.Any<Fault<PendingTurnWrite>>(f => f.Context.Message.Message.Turn.TurnId == orphan.TurnId));
        var fault = Harness.Published.Select<Fault<PendingTurnWrite>>().First().Context.Message;
        Assert.Equal(typeof(WriteBehindConflictException).FullName, fault.Exceptions[0].ExceptionType);
        Assert.Contains("version 2", fault.Exceptions[0].Message);
        Assert.Null(await cache.GetEntryAsync(key));
        var history = (await (await SharedDatabase.CreateStoreAsync()).ReadHistoryAsync(key, 100, null, default))!;
        Assert.Equal((2L, "Around the queue"), (history.Session.Version, history.Messages[2].Content));
    }

    [Fact]
    public async Task Should_keep_a_write_that_does_not_hold_together_in_error_unapplied_and_audited()
    {
        var key = await StartSessionAsync();
        var forged = Write(key, 1, "A finished skill, says nobody") with { State = "completed", Status = SessionStatus.Active };

        var messageId = await SendAsync(forged, sender: "skillforge-worker");

        Assert.True(await Harness.Published.Any<Fault<PendingTurnWrite>>(f => f.Context.Message.Message.Turn.TurnId == forged.TurnId));
        var fault = Harness.Published.Select<Fault<PendingTurnWrite>>(f => f.Context.Message.Message.Turn.TurnId == forged.TurnId).First().Context.Message;
        Assert.Equal(typeof(RefusedPendingWriteException).FullName, fault.Exceptions[0].ExceptionType);
        Assert.Equal(1L, (await (await SharedDatabase.CreateStoreAsync()).LoadAsync(key, default))!.Version);
        Assert.Equal(PendingTurnWriteConsumer.InvalidWrite, await RefusalReasonAsync(messageId));
    }

    [Fact]
    public async Task Should_drop_a_write_from_an_upstream_sender_with_nothing_changed_and_no_fault()
    {
        var key = await StartSessionAsync();
        var forged = Write(key, 1, "Injected by an upstream service");

        var messageId = await SendAsync(forged, sender: "skillforge-upstream");

        Assert.True(await Harness.GetConsumerHarness<PendingTurnWriteConsumer>().Consumed.Any<PendingTurnWrite>(m => m.Context.MessageId == messageId));
        Assert.Equal(SenderCheck.UntrustedSender, await Eventually.ReadAsync(() => RefusalReasonAsync(messageId), r => r is not null));
        Assert.Equal(1L, (await (await SharedDatabase.CreateStoreAsync()).LoadAsync(key, default))!.Version);
        Assert.False(await Harness.Published.Any<Fault<PendingTurnWrite>>(f => f.Context.Message.Message.Turn.TurnId == forged.TurnId));
    }

    [Fact]
    public async Task Should_refuse_a_write_dated_before_the_sessions_last_activity()
    {
        var key = await StartSessionAsync();
        var backdated = Write(key, 1, "Written yesterday, they say") with { At = DateTimeOffset.UtcNow.AddDays(-1) };

        var messageId = await SendAsync(backdated, sender: "skillforge-worker");

        Assert.True(await Harness.Published.Any<Fault<PendingTurnWrite>>(f => f.Context.Message.Message.Turn.TurnId == backdated.TurnId));
        Assert.Equal(1L, (await (await SharedDatabase.CreateStoreAsync()).LoadAsync(key, default))!.Version);
        Assert.Equal(PendingTurnWriteConsumer.InvalidWrite, await RefusalReasonAsync(messageId));
    }

    /// <summary>Sends a write as <paramref name="sender"/> would (the harness takes the sender from a header), returning its message id.</summary>
    private async Task<Guid> SendAsync(TurnToAppend turn, string sender)
    {
        var messageId = Guid.NewGuid();
        var endpoint = await Harness.Bus.GetSendEndpoint(SkillForgeQueues.Address(WriteBehindQueue.Name));
        await endpoint.Send(new PendingTurnWrite(turn), context =>
        {
            context.MessageId = messageId;
            context.Headers.Set(HarnessSenderIdentity.Header, sender);
        });
        return messageId;
    }

    private static async Task<string?> RefusalReasonAsync(Guid messageId)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        return await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection,
            "SELECT reason FROM refused_messages WHERE message_id = @messageId", new { messageId });
    }

    private async Task<SessionKey> StartSessionAsync()
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        Assert.True((await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL")).IsReplied);
        return key;
    }

    private static TurnToAppend Write(SessionKey key, long expectedVersion, string text) =>
        new()
        {
            Key = key, TurnId = Guid.NewGuid(), ExpectedVersion = expectedVersion, UserText = text, Reply = $"Noted: {text}",
            PreviousState = "gathering_details", State = "gathering_details", Status = SessionStatus.Active,
            ContextJson = """{"state":"gathering_details"}""", At = DateTimeOffset.UtcNow,
        };
}
