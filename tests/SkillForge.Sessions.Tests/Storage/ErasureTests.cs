using Dapper;
using SkillForge.Sessions;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

public sealed class ErasureTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Should_leave_no_row_or_message_holding_the_sessions_text()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        var secret = $"my secret {Guid.NewGuid():N}";
        await store.AppendTurnAsync(Turn(key, 0, secret, $"echo {secret}"), None);
        await store.AppendTurnAsync(Turn(key, 1, "more"), None);
        var neighbour = await AppendManyAsync(store, new SessionKey(key.TenantId, TestIds.Session()), 1);

        var erased = await store.EraseAsync(key, "user request", DateTimeOffset.UtcNow, None);

        Assert.Equal(new ErasureResult(true, 4), erased);
        await using var connection = await SharedDatabase.Admin.OpenConnectionAsync();
        // Search every table of the schema for the text, not just the API.
        var tables = await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        foreach (var table in tables)
        {
            var hits = await connection.ExecuteScalarAsync<long>(
                $"SELECT count(*) FROM \"{table}\" t WHERE t::text LIKE '%' || @secret || '%'", new { secret });
            Assert.True(hits == 0, $"table {table} still holds the erased text");
        }
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM sessions WHERE tenant_id = @t AND session_id = @s", new { t = key.TenantId, s = key.SessionId }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM session_audit WHERE tenant_id = @t AND session_id = @s AND event = 'erased' AND count = 4",
            new { t = key.TenantId, s = key.SessionId }));
        Assert.NotNull(await store.LoadAsync(neighbour, None));
    }

    [Fact]
    public async Task Should_start_afresh_at_version_one_after_erasure()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 3);
        await store.EraseAsync(key, null, DateTimeOffset.UtcNow, None);

        var again = await store.AppendTurnAsync(Turn(key, 0), None);

        Assert.Equal((AppendOutcome.Appended, 1L, 2), (again.Outcome, again.Version, again.MessageCount));
    }

    [Fact]
    public async Task Should_report_an_unknown_session_as_not_existing()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        Assert.Equal(new ErasureResult(false, 0), await store.EraseAsync(new SessionKey(TestIds.Tenant(), TestIds.Session()), null, DateTimeOffset.UtcNow, None));
    }
}
