using Dapper;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using static SkillForge.Sessions.Tests.Storage.Turns;

namespace SkillForge.Sessions.Tests.Storage;

public sealed class CorruptSessionTests
{
    [Theory]
    [InlineData("context = '[1, 2]'::jsonb")]
    [InlineData("context = 'null'::jsonb")]
    [InlineData("state = ''")]
    public async Task Should_report_an_unreadable_row_as_a_corrupt_session(string damage)
    {
        var store = await SharedDatabase.CreateStoreAsync();
        var key = await AppendManyAsync(store, new SessionKey(TestIds.Tenant(), TestIds.Session()), 1);
        await using (var connection = await SharedDatabase.Superuser.OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"UPDATE sessions SET {damage} WHERE tenant_id = @t AND session_id = @s",
                new { t = key.TenantId, s = key.SessionId });
        }

        var error = await Assert.ThrowsAsync<CorruptSessionException>(() => store.LoadAsync(key, CancellationToken.None));

        Assert.Equal(key, error.Key);
        Assert.Contains(key.SessionId, error.Message);
    }
}
