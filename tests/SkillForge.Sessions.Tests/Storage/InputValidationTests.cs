using Dapper;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

public sealed class InputValidationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string, string> BadIds => new()
    {
        { "", "invalid_request" },
        { new string('a', 129), "invalid_request" },
        { "has space", "invalid_request" },
        { "semi;colon", "invalid_request" },
        { "quote'", "invalid_request" },
        { "brace{", "invalid_request" },
        { "nul\0", "invalid_request" },
        { "ünïcode", "invalid_request" },
        { "slash/", "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Should_reject_a_bad_session_id_and_write_nothing(string sessionId, string code)
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var tenant = TestIds.Tenant();

        var error = await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.AppendTurnAsync(Turn(new SessionKey(tenant, sessionId), 0), None));

        Assert.Equal(code, error.Code);
        Assert.Contains("SessionId", error.Message);
        Assert.Equal(0, await CountTenantRowsAsync(tenant));
    }

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Should_reject_a_bad_tenant_id_on_every_operation(string tenantId, string code)
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(tenantId, "s");

        var errors = new[]
        {
            await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.LoadAsync(key, None)),
            await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.AppendTurnAsync(Turn(key, 0), None)),
            await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.ReadHistoryAsync(key, 10, null, None)),
            await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.ListSessionsAsync(tenantId, null, null, 10, None)),
            await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.EraseAsync(key, null, Guid.NewGuid(), DateTimeOffset.UtcNow, None)),
        };

        Assert.All(errors, e => Assert.Equal(code, e.Code));
    }

    [Fact]
    public async Task Should_accept_ids_at_the_edges_of_the_rules()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), "A-z.0_9:" + new string('x', 120));

        var result = await store.AppendTurnAsync(Turn(key, 0), None);

        Assert.Equal(128, key.SessionId.Length);
        Assert.Equal(AppendOutcome.Appended, result.Outcome);
    }

    [Theory]
    [InlineData("", "invalid_request")]
    [InlineData("a\0b", "invalid_request")]
    [InlineData(null, "too_large")]
    public async Task Should_reject_bad_text_and_write_nothing(string? text, string code)
    {
        var store = await SharedDatabase.CreateStoreAsync(new SessionStoreOptions { MaxTextLength = 100 });
        var tenant = TestIds.Tenant();
        var key = new SessionKey(tenant, "s");

        var error = await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.AppendTurnAsync(Turn(key, 0, text ?? new string('x', 101)), None));

        Assert.Equal(code, error.Code);
        Assert.Equal(0, await CountTenantRowsAsync(tenant));
    }

    [Fact]
    public async Task Should_reject_text_with_a_lone_surrogate_and_write_nothing()
    {
        // Built here, not in [InlineData]: xunit's theory serialisation would turn a lone surrogate into U+FFFD.
        var store = await SharedDatabase.CreateStoreAsync();
        var tenant = TestIds.Tenant();
        foreach (var text in new[] { "lone " + '\ud800' + " high", "low at the end " + '\udc00', "reversed " + '\udc00' + '\ud800' })
        {
            var error = await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.AppendTurnAsync(Turn(new SessionKey(tenant, "s"), 0, text), None));
            Assert.Equal("invalid_request", error.Code);
            Assert.Contains("lone surrogate", error.Message);
        }
        Assert.Equal(0, await CountTenantRowsAsync(tenant));
    }

    [Fact]
    public async Task Should_accept_surrogate_pairs_and_keep_them_exactly()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), "s");

        var result = await store.AppendTurnAsync(Turn(key, 0, "emoji 🙂 and 𝄞"), None);
        var history = await store.ReadHistoryAsync(key, 10, null, None);

        Assert.Equal(AppendOutcome.Appended, result.Outcome);
        Assert.Equal("emoji 🙂 and 𝄞", history!.Messages[0].Content);
    }

    [Fact]
    public async Task Should_accept_text_of_exactly_the_limit()
    {
        var store = await SharedDatabase.CreateStoreAsync(new SessionStoreOptions { MaxTextLength = 100 });
        var result = await store.AppendTurnAsync(Turn(new SessionKey(TestIds.Tenant(), "s"), 0, new string('x', 100)), None);
        Assert.Equal(AppendOutcome.Appended, result.Outcome);
    }

    [Theory]
    [InlineData("system")]
    [InlineData("")]
    [InlineData(null)]
    public void Should_reject_an_unknown_role(string? role)
    {
        var error = Assert.Throws<InvalidSessionInputException>(() => SessionInputRules.ValidateRole(role));
        Assert.Equal("invalid_request", error.Code);
    }

    [Fact]
    public async Task Should_reject_bad_paging_arguments()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), "s");

        await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.ReadHistoryAsync(key, 0, null, None));
        await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.ReadHistoryAsync(key, 1001, null, None));
        await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.ReadHistoryAsync(key, 10, 0, None));
        await Assert.ThrowsAsync<InvalidSessionInputException>(() => store.ListSessionsAsync(key.TenantId, "deleted", null, 10, None));
    }

    [Fact]
    public async Task Should_store_sql_metacharacters_as_plain_text()
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = new SessionKey(TestIds.Tenant(), "s");
        const string hostile = "'); DROP TABLE messages; -- $$ \\x00 %s {0} @TenantId";

        await store.AppendTurnAsync(Turn(key, 0, hostile), None);

        Assert.Equal(hostile, (await store.LoadAsync(key, None))!.RecentMessages[0].Content);
    }

    private static async Task<long> CountTenantRowsAsync(string tenant)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM sessions WHERE tenant_id = @t) + (SELECT count(*) FROM messages WHERE tenant_id = @t)", new { t = tenant });
    }
}
