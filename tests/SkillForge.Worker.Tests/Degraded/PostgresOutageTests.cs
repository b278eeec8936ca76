using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillForge.Client;
using SkillForge.Sessions;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Degraded;

/// <summary>
/// PostgreSQL out of reach for this worker (a TCP proxy in front of the real server, cut and restored): a turn waits
/// out a short outage and is applied; past <c>Worker:UnavailableAfter</c> it is answered <c>unavailable</c> with nothing
/// written, and the same TurnId sent again after recovery is applied once.
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

    [Fact]
    public async Task Should_answer_unavailable_and_write_nothing_then_apply_the_same_turn_once_after_recovery()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");
        var turnId = Guid.NewGuid();

        _proxy.Cut();
        var during = await Client.SendTurnAsync(tenant, session, "Name it sql-formatter", turnId);
        _proxy.Restore();
        var after = await Client.SendTurnAsync(tenant, session, "Name it sql-formatter", turnId);
        var again = await Client.SendTurnAsync(tenant, session, "Name it sql-formatter", turnId);

        Assert.Equal("unavailable", during.Rejected!.Code);
        Assert.Contains("same TurnId", during.Rejected.Reason);
        Assert.Equal((2L, false), (after.Replied!.Version, after.Replied.Replayed));
        Assert.True(again.Replied!.Replayed);
        var history = await _host.Services.GetRequiredService<SessionStore>().ReadHistoryAsync(new SessionKey(tenant, session), 100, null, default);
        Assert.Equal(4, history!.Messages.Count);
    }

    [Fact]
    public async Task Should_wait_out_an_outage_shorter_than_the_limit_and_apply_the_turn()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL");

        _proxy.Cut();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var turn = Client.SendTurnAsync(tenant, session, "Name it sql-formatter");
        await Task.Delay(TimeSpan.FromSeconds(1));
        _proxy.Restore();
        var result = await turn;

        Assert.True(result.IsReplied, result.Rejected?.Reason);
        Assert.True(waited.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {waited.Elapsed}: the outage was not felt");
        Assert.Equal(2, result.Replied!.Version);
    }
}
