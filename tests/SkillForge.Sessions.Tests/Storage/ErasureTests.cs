using Dapper;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

public sealed class ErasureTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData("user request", "user_request")]
    [InlineData("  Legal-Request ", "legal_request")]
    [InlineData(null, "unspecified")]
    [InlineData(" ", "unspecified")]
    [InlineData("my ex asked me to delete the chat where I told it my address", "other")]
    public void Should_reduce_a_reason_to_a_code(string? reason, string code) => Assert.Equal(code, ErasureReasons.ToCode(reason));

    [Fact]
    public async Task Should_erase_whatever_the_reason_and_keep_only_its_code()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);
        var secret = $"my address is {Guid.NewGuid():N}";

        var erased = await store.EraseAsync(key, secret + new string('!', 1_000), Guid.NewGuid(), DateTimeOffset.UtcNow, None);

        Assert.True(erased.Existed); // a reason longer than any text field once made the erasure answer "nothing erased"
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        Assert.Equal("other", await connection.ExecuteScalarAsync<string>(
            "SELECT to_value FROM session_audit WHERE tenant_id = @TenantId AND session_id = @SessionId AND event = 'erased'",
            new { key.TenantId, key.SessionId }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM session_audit WHERE to_value LIKE '%' || @secret || '%'", new { secret }));
    }

    [Fact]
    public async Task Should_leave_no_row_or_message_holding_the_sessions_text()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        var secret = $"my secret {Guid.NewGuid():N}";
        await store.AppendTurnAsync(Turn(key, 0, secret, $"echo {secret}"), None);
        await store.AppendTurnAsync(Turn(key, 1, "more"), None);
        var neighbour = await AppendManyAsync(store, new SessionKey(key.TenantId, TestIds.Session()), 1);

        var erased = await store.EraseAsync(key, "user request", Guid.NewGuid(), DateTimeOffset.UtcNow, None);

        Assert.Equal(new ErasureResult(true, 4, RemovedNow: true), erased);
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
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
        await store.EraseAsync(key, null, Guid.NewGuid(), DateTimeOffset.UtcNow, None);

        var again = await store.AppendTurnAsync(Turn(key, 0), None);

        Assert.Equal((AppendOutcome.Appended, 1L, 2), (again.Outcome, again.Version, again.MessageCount));
    }

    [Fact]
    public async Task Should_report_an_unknown_session_as_not_existing()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var unknown = new SessionKey(TestIds.Tenant(), TestIds.Session());
        Assert.Equal(new ErasureResult(false, 0, false), await store.EraseAsync(unknown, null, Guid.NewGuid(), DateTimeOffset.UtcNow, None));
        Assert.Equal(new ErasureResult(false, 0, false), await store.EraseAsync(unknown, null, null, DateTimeOffset.UtcNow, None));
    }

    [Fact]
    public async Task Should_answer_a_request_delivered_again_with_what_it_erased_and_another_request_with_nothing()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 2);
        var request = Guid.NewGuid();

        var first = await store.EraseAsync(key, "user request", request, DateTimeOffset.UtcNow, None);
        // The same request again, as after a crash between the commit and the answer: a new process, nothing in memory.
        var again = await (await SharedDatabase.CreateStoreAsync()).EraseAsync(key, "user request", request, DateTimeOffset.UtcNow, None);
        var another = await store.EraseAsync(key, "user request", Guid.NewGuid(), DateTimeOffset.UtcNow, None);
        var anonymous = await store.EraseAsync(key, "user request", null, DateTimeOffset.UtcNow, None);

        Assert.Equal(new ErasureResult(true, 4, RemovedNow: true), first);
        Assert.Equal(new ErasureResult(true, 4, RemovedNow: false), again);
        Assert.Equal(new ErasureResult(false, 0, false), another);
        Assert.Equal(new ErasureResult(false, 0, false), anonymous);
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        var lines = (await connection.QueryAsync<(string? FromValue, long Count, Guid? RequestId)>(
            "SELECT from_value, count, request_id FROM session_audit WHERE tenant_id = @TenantId AND session_id = @SessionId AND event = 'erased' ORDER BY id",
            key)).ToList();
        Assert.Equal([("active", 4L, request), (null, 0L, request), (null, 0L, lines[2].RequestId), (null, 0L, null)], lines);
        Assert.NotEqual(request, lines[2].RequestId);
    }

    [Fact]
    public async Task Should_answer_a_request_delivered_again_after_the_id_started_afresh_with_its_own_erasure_only()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);
        var request = Guid.NewGuid();
        Assert.Equal(new ErasureResult(true, 2, true), await store.EraseAsync(key, null, request, DateTimeOffset.UtcNow, None));
        await AppendManyAsync(store, key, 3); // the user starts again under the same id

        // A late redelivery of the first request erases the new conversation too (it asked for the id to go) and
        // answers all that it erased.
        Assert.Equal(new ErasureResult(true, 8, true), await store.EraseAsync(key, null, request, DateTimeOffset.UtcNow, None));
        Assert.Null(await store.LoadAsync(key, None));
    }
}
