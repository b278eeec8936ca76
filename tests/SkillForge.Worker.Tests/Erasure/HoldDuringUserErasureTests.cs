using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts;
using SkillForge.Contracts.Operations;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.Erasure;

/// <summary>
/// A legal hold placed while a user's erasure runs stops it at the held session; the sessions it erased before stay
/// erased, and their failed copies in the queues must go too, as after an erasure that ran to its end.
/// </summary>
public sealed class HoldDuringUserErasureTests
{
    private const int Sessions = 120; // more than one batch of ids

    [Fact]
    public async Task Should_remove_the_queue_copies_of_the_sessions_erased_before_a_hold_stopped_the_erasure()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        using var operatorHost = await RealWorker.StartUpstreamAsync(vhost.Name, TestServers.RabbitMqOperator);
        var client = RealWorker.ClientOf(upstream);
        var operatorClient = operatorHost.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();
        var tenant = TestIds.Tenant();
        // Erased in the order of their ids: the first goes before the hold, the last is the one held.
        var ids = Enumerable.Range(0, Sessions).Select(i => $"s-{i:D3}").ToArray();
        foreach (var id in ids)
        {
            Assert.True((await client.SendTurnAsync(tenant, id, "I want a skill that formats SQL", userId: "u-1")).IsReplied);
        }
        var marker = $"marker-{Guid.NewGuid():N}";
        await using (var broker = await ErasureLeavesNoCopyTests.Connect(vhost))
        {
            await ErasureLeavesNoCopyTests.PlantAsync(broker, $"{SkillForgeQueues.ChatTurns}_error", new SessionKey(tenant, ids[0]), $"failed copy of {marker}", queuedWrite: false);
        }

        // A session half-way holds the erasure up (its row locked) until the hold is in place: however fast the worker
        // erases, the hold comes while the erasure runs.
        await using var blocker = await SharedDatabase.Superuser.OpenConnectionAsync();
        await using var lockHolder = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("SELECT 1 FROM sessions WHERE tenant_id = @tenant AND session_id = @session FOR UPDATE",
            new { tenant, session = ids[Sessions / 2] }, lockHolder);
        var erasure = client.EraseUserAsync(tenant, "u-1", "account deleted");
        await Eventually.HoldsAsync(async () => await ErasedAsync(tenant, ids[0]), TimeSpan.FromSeconds(30), "the first session's erasure");
        var (placed, rejected) = await operatorClient.PlaceHoldAsync(new PlaceLegalHold(tenant, ids[^1], null, "case 7", "alice"));
        await lockHolder.RollbackAsync();
        var answer = await erasure;

        Assert.Null(rejected);
        Assert.True(placed!.PlacedNow);
        Assert.True(answer.Refused is not null, "the erasure ran to its end before the hold was placed: nothing was tested");
        Assert.False(await ErasedAsync(tenant, ids[^1]));
        await using var check = await ErasureLeavesNoCopyTests.Connect(vhost);
        var left = await ErasureLeavesNoCopyTests.DrainAsync(check, $"{SkillForgeQueues.ChatTurns}_error");
        Assert.DoesNotContain(left, body => body.Contains(marker, StringComparison.Ordinal));
    }

    private static async Task<bool> ErasedAsync(string tenant, string session)
    {
        await using var connection = await SharedDatabase.Superuser.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM session_audit WHERE tenant_id = @tenant AND session_id = @session AND event = 'erased' AND count > 0)",
            new { tenant, session });
    }
}
