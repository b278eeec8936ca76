using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Degraded;

/// <summary>
/// PostgreSQL out of reach for this worker (a TCP proxy in front of the real server, cut and restored). A session in
/// the cache keeps being answered, its writes queued and applied in order once PostgreSQL is back (write-behind). A
/// session not in the cache waits out a short outage; past <c>Worker:UnavailableAfter</c> it is answered
/// <c>unavailable</c> with nothing written, and the same TurnId sent again after recovery is applied once.
/// </summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private TcpProxy _proxy = null!;
    private AsyncHost _host = null!;

    public async Task InitializeAsync()
    {
        var direct = new NpgsqlConnectionStringBuilder(TestServers.Postgres);
        _proxy = TcpProxy.To(direct.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(TestServers.Postgres) { Port = _proxy.Port, Timeout = 2 };
        _host = new AsyncHost(await WorkerTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = viaProxy.ConnectionString,
            ["Worker:UnavailableAfter"] = "00:00:03",
        }));
    }

    public async Task DisposeAsync()
    {
        _proxy.Restore();
        await _host.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    private SkillForgeClient Client => _host.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();

    private SessionCache Cache => _host.Services.GetRequiredService<SessionCache>();

    [Fact]
    public async Task Should_answer_a_cached_session_while_postgres_is_down_and_apply_its_turns_in_order_once_it_is_back()
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL");
        string[] texts = ["Name it sql-formatter", "It should uppercase keywords", "Use it when a query is hard to read"];

        _proxy.Cut();
        var answered = new List<ChatTurnReplied>();
        foreach (var text in texts)
        {
            var result = await Client.SendTurnAsync(key.TenantId, key.SessionId, text);
            answered.Add(result.Replied ?? throw new Xunit.Sdk.XunitException($"rejected: {result.Rejected!.Code} {result.Rejected.Reason}"));
        }
        var resent = await Client.SendTurnAsync(key.TenantId, key.SessionId, texts[1], answered[1].TurnId);
        var store = await SharedDatabase.CreateStoreAsync(); // straight to PostgreSQL, not through the cut proxy
        var storedDuring = await store.LoadAsync(key, default);
        var entryDuring = await Cache.GetEntryAsync(key);
        _proxy.Restore();
        var storedAfter = await Eventually.ReadAsync(() => store.LoadAsync(key, default), s => s?.Version == 4);
        var entryAfter = await Eventually.ReadAsync(() => Cache.GetEntryAsync(key), e => e is { Pending: false });
        var next = await Client.SendTurnAsync(key.TenantId, key.SessionId, "It is for PostgreSQL");

        Assert.Equal([2L, 3, 4], answered.Select(a => a.Version));
        Assert.All(answered, a => Assert.False(a.Replayed || a.Resumed));
        Assert.Equal((true, answered[1].Reply, 3L), (resent.Replied!.Replayed, resent.Replied.Reply, resent.Replied.Version));
        Assert.Equal(1, storedDuring!.Version);
        Assert.Equal((4L, true), (entryDuring!.Session.Version, entryDuring.Pending));
        Assert.Equal(4, entryAfter!.Session.Version);
        Assert.Equal((5L, false), (next.Replied!.Version, next.Replied.Replayed));
        var history = (await store.ReadHistoryAsync(key, 100, null, default))!.Messages;
        Assert.Equal(10, history.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), history.Select(m => m.Seq));
        // PostgreSQL holds exactly what the user was told, in the order they were told it.
        Assert.Equal(texts.Zip(answered).SelectMany(p => new[] { (MessageRole.User, p.First), (MessageRole.Assistant, p.Second.Reply) }),
            history.Skip(2).Take(6).Select(m => (m.Role, m.Content)));
        Assert.Equal(answered[^1].State, storedAfter!.State);
    }

    [Fact]
    public async Task Should_answer_unavailable_for_a_session_not_in_the_cache_write_nothing_then_apply_the_same_turn_once_after_recovery()
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL");
        await Evict(key);
        var turnId = Guid.NewGuid();

        _proxy.Cut();
        var during = await Client.SendTurnAsync(key.TenantId, key.SessionId, "Name it sql-formatter", turnId);
        _proxy.Restore();
        var after = await Client.SendTurnAsync(key.TenantId, key.SessionId, "Name it sql-formatter", turnId);
        var again = await Client.SendTurnAsync(key.TenantId, key.SessionId, "Name it sql-formatter", turnId);

        Assert.Equal("unavailable", during.Rejected!.Code);
        Assert.Contains("same TurnId", during.Rejected.Reason);
        Assert.Equal((2L, false), (after.Replied!.Version, after.Replied.Replayed));
        Assert.True(again.Replied!.Replayed);
        var history = await _host.Services.GetRequiredService<SessionStore>().ReadHistoryAsync(key, 100, null, default);
        Assert.Equal(4, history!.Messages.Count);
    }

    [Fact]
    public async Task Should_wait_out_an_outage_shorter_than_the_limit_for_a_session_not_in_the_cache_and_apply_the_turn()
    {
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        await Client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL");
        await Evict(key);

        _proxy.Cut();
        var turn = Client.SendTurnAsync(key.TenantId, key.SessionId, "Name it sql-formatter");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var answeredDuringTheOutage = turn.IsCompleted;
        _proxy.Restore();
        var result = await turn;

        Assert.False(answeredDuringTheOutage, "the turn was answered while PostgreSQL was cut off: the outage was not felt");
        Assert.True(result.IsReplied, result.Rejected?.Reason);
        Assert.Equal((2L, true), (result.Replied!.Version, result.Replied.Resumed));
    }

    private static Task Evict(SessionKey key) => TestRedis.Admin.GetDatabase().KeyDeleteAsync(SessionCache.KeyOf(key));
}
