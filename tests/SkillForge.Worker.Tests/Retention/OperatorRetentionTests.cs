using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using SkillForge.Contracts.Operations;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Retention;

/// <summary>The operator's retention and hold requests over the bus: answered, and bad input answered with what is wrong.</summary>
public sealed class OperatorRetentionTests : HarnessTests
{
    private SkillForgeOperatorClient Operator => Host.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeOperatorClient>();

    [Fact]
    public async Task Should_set_show_and_clear_a_tenants_periods()
    {
        var tenant = TestIds.Tenant();

        var before = (await Operator.GetRetentionAsync(tenant)).Retention!;
        var set = (await Operator.SetRetentionAsync(new SetTenantRetention(tenant, null, TimeSpan.FromDays(7), null, null, "alice"))).Retention!;
        var shown = (await Operator.GetRetentionAsync(tenant)).Retention!;
        var cleared = (await Operator.ClearRetentionAsync(new ClearTenantRetention(tenant, "alice"))).Retention!;

        Assert.Equal((false, TimeSpan.FromDays(90)), (before.Custom, before.DeleteCompletedAfter));
        Assert.Equal((true, TimeSpan.FromDays(7), TimeSpan.FromDays(30)), (set.Custom, set.DeleteCompletedAfter, set.AbandonAfterIdle));
        Assert.Equal(set, shown);
        Assert.Equal("alice (skillforge-operator)", shown.ChangedBy);
        Assert.Equal((false, TimeSpan.FromDays(90)), (cleared.Custom, cleared.DeleteCompletedAfter));
    }

    [Fact]
    public async Task Should_answer_bad_retention_or_hold_requests_with_what_is_wrong()
    {
        var tenant = TestIds.Tenant();

        var tooLong = await Operator.SetRetentionAsync(new SetTenantRetention(tenant, TimeSpan.FromDays(4000), null, null, null, "alice"));
        var nothing = await Operator.SetRetentionAsync(new SetTenantRetention(tenant, null, null, null, null, "alice"));
        var both = await Operator.PlaceHoldAsync(new PlaceLegalHold(tenant, "s-1", "u-1", "case", "alice"));
        var nobody = await Operator.PlaceHoldAsync(new PlaceLegalHold(tenant, null, null, "case", ""));

        Assert.Contains("AbandonAfterIdle", tooLong.Rejected!.Reason);
        Assert.Contains("at least one period", nothing.Rejected!.Reason);
        Assert.Contains("not both", both.Rejected!.Reason);
        Assert.Contains("acting", nobody.Rejected!.Reason);
        Assert.All([tooLong.Rejected, nothing.Rejected, both.Rejected, nobody.Rejected], r => Assert.Equal("invalid_request", r.Code));
        Assert.False((await Operator.GetRetentionAsync(tenant)).Retention!.Custom);
        Assert.Empty((await Operator.ListHoldsAsync(tenant, includeReleased: true)).Holds);
    }

    [Fact]
    public async Task Should_place_list_and_release_a_tenants_hold()
    {
        var tenant = TestIds.Tenant();

        var placed = (await Operator.PlaceHoldAsync(new PlaceLegalHold(tenant, null, null, "regulator's request 7", "alice"))).Placed!;
        var listed = await Operator.ListHoldsAsync(tenant);
        var released = (await Operator.ReleaseHoldAsync(new ReleaseLegalHold(tenant, null, null, "bob"))).Released!;
        var none = (await Operator.ReleaseHoldAsync(new ReleaseLegalHold(tenant, null, null, "bob"))).Released!;

        Assert.Equal(("regulator's request 7", "alice (skillforge-operator)"), (placed.Hold.Reason, placed.Hold.PlacedBy));
        Assert.Equal([placed.Hold.Id], listed.Holds.Select(h => h.Id));
        Assert.Equal("bob (skillforge-operator)", released.Hold!.ReleasedBy);
        Assert.Null(none.Hold);
        Assert.Empty((await Operator.ListHoldsAsync(tenant)).Holds);
    }
}
