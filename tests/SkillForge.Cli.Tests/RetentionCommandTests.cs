using System.Text.Json;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Cli.Tests;

/// <summary>Erasing a user, legal holds and a tenant's retention from the CLI, against the real worker.</summary>
public sealed class RetentionCommandTests(RealWorkerFixture worker) : IClassFixture<RealWorkerFixture>
{
    [Fact]
    public async Task Should_refuse_to_erase_a_held_user_then_erase_them_once_the_hold_is_released()
    {
        var tenant = TestIds.Tenant();
        await worker.Client.SendTurnAsync(tenant, TestIds.Session(), "I want a skill that formats SQL queries", userId: "ana@example.com");
        await worker.Client.SendTurnAsync(tenant, TestIds.Session(), "I want a skill that formats SQL queries", userId: "ana@example.com");

        var (placeExit, place) = await CliRunner.RunAsync("", "hold", "place", "-t", tenant, "--user", "ana@example.com", "--reason", "case 7", "--by", "alice");
        var (listExit, list) = await CliRunner.RunAsync("", "hold", "list", "-t", tenant, "--json");
        var (refusedExit, refused) = await CliRunner.RunAsync("", "erase", "-t", tenant, "--user", "ana@example.com", "--yes");
        var (releaseExit, release) = await CliRunner.RunAsync("", "hold", "release", "-t", tenant, "--user", "ana@example.com", "--by", "bob");
        var (erasedExit, erased) = await CliRunner.RunAsync("", "erase", "-t", tenant, "--user", "ana@example.com", "--yes");

        Assert.Equal(0, placeExit);
        Assert.Contains("on user ana@example.com", place);
        Assert.Equal(0, listExit);
        using (var document = JsonDocument.Parse(list))
        {
            var hold = Assert.Single(document.RootElement.GetProperty("holds").EnumerateArray());
            Assert.Equal("case 7", hold.GetProperty("reason").GetString());
        }
        Assert.Equal(1, refusedExit);
        Assert.Contains("legal_hold", refused);
        Assert.Equal(0, releaseExit);
        Assert.Contains("Released hold", release);
        Assert.Equal(0, erasedExit);
        Assert.Contains("Erased 2 sessions of user ana@example.com: 4 messages deleted", erased);
    }

    [Fact]
    public async Task Should_list_a_users_sessions_and_page_with_the_cursor()
    {
        var tenant = TestIds.Tenant();
        var (older, newer) = ("older-session", "newer-session"); // short: the table must not wrap them (the tenant is new)
        await worker.Client.SendTurnAsync(tenant, older, "I want a skill that formats SQL queries", userId: "ana@example.com");
        await worker.Client.SendTurnAsync(tenant, newer, "I want a skill that lints YAML", userId: "ana@example.com");
        await worker.Client.SendTurnAsync(tenant, TestIds.Session(), "someone else's", userId: "bob@example.com");

        var (tableExit, table) = await CliRunner.RunAsync("", "sessions", "-t", tenant, "--user", "ana@example.com");
        var (firstExit, first) = await CliRunner.RunAsync("", "sessions", "-t", tenant, "--user", "ana@example.com", "--limit", "1", "--json");
        string cursor;
        using (var document = JsonDocument.Parse(first))
        {
            Assert.Equal(newer, Assert.Single(document.RootElement.GetProperty("sessions").EnumerateArray()).GetProperty("sessionId").GetString());
            cursor = document.RootElement.GetProperty("nextCursor").GetString()!;
        }
        var (secondExit, second) = await CliRunner.RunAsync("", "sessions", "-t", tenant, "--user", "ana@example.com", "--limit", "1", "--cursor", cursor, "--json");
        var (mixedExit, _) = await CliRunner.RunAsync("", "sessions", "-t", tenant, "--user", "ana@example.com", "--after", "x");

        Assert.Equal((0, 0, 0, 2), (tableExit, firstExit, secondExit, mixedExit));
        Assert.Contains(older, table);
        Assert.Contains(newer, table);
        using var page2 = JsonDocument.Parse(second);
        Assert.Equal(older, Assert.Single(page2.RootElement.GetProperty("sessions").EnumerateArray()).GetProperty("sessionId").GetString());
        Assert.Equal(JsonValueKind.Null, page2.RootElement.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task Should_set_show_and_clear_a_tenants_retention_and_say_what_is_out_of_bounds()
    {
        var tenant = TestIds.Tenant();

        var (setExit, set) = await CliRunner.RunAsync("", "retention", "set", "-t", tenant, "--completed", "7d", "--audit", "730", "--by", "alice");
        var (showExit, show) = await CliRunner.RunAsync("", "retention", "show", "-t", tenant, "--json");
        var (badExit, bad) = await CliRunner.RunAsync("", "retention", "set", "-t", tenant, "--idle", "0");
        var (clearExit, clear) = await CliRunner.RunAsync("", "retention", "clear", "-t", tenant);

        Assert.Equal(0, setExit);
        Assert.Contains("delete completed after  7 days", set);
        Assert.Contains("delete audit after      730 days", set);
        Assert.Equal(0, showExit);
        using (var document = JsonDocument.Parse(show))
        {
            Assert.True(document.RootElement.GetProperty("custom").GetBoolean());
            Assert.Equal("7.00:00:00", document.RootElement.GetProperty("deleteCompletedAfter").GetString());
        }
        Assert.Equal(1, badExit);
        Assert.Contains("AbandonAfterIdle must be between 1 day and 3650 days", bad);
        Assert.Equal(0, clearExit);
        Assert.Contains("lives by the product's periods", clear);
    }

    [Fact]
    public async Task Should_exit_with_usage_for_a_session_and_a_user_at_once()
    {
        var (eraseExit, erase) = await CliRunner.RunAsync("", "erase", "-t", "t", "-s", "s", "--user", "u", "--yes");
        var (neitherExit, _) = await CliRunner.RunAsync("", "erase", "-t", "t", "--yes");
        var (holdExit, hold) = await CliRunner.RunAsync("", "hold", "place", "-t", "t", "-s", "s", "--user", "u", "--reason", "r");

        Assert.Equal((2, 2, 2), (eraseExit, neitherExit, holdExit));
        Assert.Contains("exactly one of --session and --user", erase);
        Assert.Contains("not both", hold);
    }
}
