using System.Text.Json;
using SkillForge.Harness;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Cli.Tests;

/// <summary>The CLI against the real worker over the real broker, as an operator would use it.</summary>
public sealed class CliCommandTests(RealWorkerFixture worker) : IClassFixture<RealWorkerFixture>
{
    [Fact]
    public async Task Should_hold_a_conversation_from_redirected_input_and_resume_it()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();

        var (firstExit, first) = await CliRunner.RunAsync("I want a skill that formats SQL queries\nName it sql-formatter\n",
            "chat", "--tenant", tenant, "--session", session);
        var (secondExit, second) = await CliRunner.RunAsync("Description: Formats SQL for code review\n/quit\n",
            "chat", "--tenant", tenant, "--session", session);

        Assert.Equal(0, firstExit);
        Assert.Contains($"New session {session}", first);
        Assert.Contains("v1]", first);
        Assert.Contains("v2]", first);
        Assert.Equal(0, secondExit);
        Assert.Contains($"Resuming session {session}", second);
        Assert.Contains("v3", second);
    }

    [Fact]
    public async Task Should_show_history_as_a_table_and_as_json_and_say_when_it_is_missing()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await worker.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL queries");

        var (tableExit, table) = await CliRunner.RunAsync("", "history", "-t", tenant, "-s", session);
        var (jsonExit, json) = await CliRunner.RunAsync("", "history", "-t", tenant, "-s", session, "--json");
        var (missingExit, missing) = await CliRunner.RunAsync("", "history", "-t", tenant, "-s", "nope");

        Assert.Equal(0, tableExit);
        Assert.Contains("I want a skill that formats SQL queries", table);
        Assert.Equal(0, jsonExit);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(2, document.RootElement.GetProperty("messages").GetArrayLength());
        Assert.Equal(1, missingExit);
        Assert.Contains("not found", missing);
    }

    [Fact]
    public async Task Should_show_control_characters_of_stored_text_instead_of_sending_them_to_the_terminal()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        // Clear the screen, a carriage return that would hide what came before, a bell, a right-to-left override.
        await worker.Client.SendTurnAsync(tenant, session, "I want a skill\u001b[2J that \rformats\u0007 SQL \u202Equeries\nfor review");

        var (exit, table) = await CliRunner.RunAsync("", "history", "-t", tenant, "-s", session);
        var (_, json) = await CliRunner.RunAsync("", "history", "-t", tenant, "-s", session, "--json");

        Assert.Equal(0, exit);
        Assert.Contains(@"I want a skill\x1B[2J that \x0Dformats\x07 SQL \u202Equeries", table);
        Assert.DoesNotContain(table, c => c is '\u001b' or '\r' or '\u0007' or '\u202E');
        Assert.Contains("for review", table); // a line break is text, not an attack
        using var document = JsonDocument.Parse(json); // JSON escapes them and keeps the text exact
        Assert.Equal("I want a skill\u001b[2J that \rformats\u0007 SQL \u202Equeries\nfor review",
            document.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Should_erase_only_after_confirmation()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await worker.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL queries");

        var (declinedExit, _) = await CliRunner.RunAsync("n\n", "erase", "-t", tenant, "-s", session);
        var stillThere = (await worker.Client.GetHistoryAsync(tenant, session)).Found;
        var (erasedExit, erased) = await CliRunner.RunAsync("", "erase", "-t", tenant, "-s", session, "--yes");

        Assert.Equal(1, declinedExit);
        Assert.True(stillThere);
        Assert.Equal(0, erasedExit);
        Assert.Contains("2 messages deleted", erased);
        Assert.False((await worker.Client.GetHistoryAsync(tenant, session)).Found);
    }

    [Fact]
    public async Task Should_run_a_dry_run_cleanup_and_print_the_report()
    {
        var (exit, output) = await CliRunner.RunAsync("", "cleanup", "--dry-run", "--as-of", "2026-01-01T03:00:00Z", "--json");

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(output);
        Assert.True(document.RootElement.GetProperty("dryRun").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero), document.RootElement.GetProperty("asOf").GetDateTimeOffset());
    }

    [Fact]
    public async Task Should_refuse_a_real_cleanup_dated_in_the_future_without_sending_it()
    {
        var (exit, output) = await CliRunner.RunAsync("", "cleanup", "--as-of", "2100-01-01T00:00:00Z", "--yes");

        Assert.Equal(2, exit);
        Assert.Contains("--dry-run", output);
    }

    [Fact]
    public async Task Should_ask_before_a_real_cleanup_with_an_explicit_date_and_send_nothing_on_no()
    {
        var (exit, output) = await CliRunner.RunAsync("n\n", "cleanup", "--as-of", "2020-01-01T00:00:00Z");

        Assert.Equal(0, exit);
        Assert.Contains("[y/N]", output);
        Assert.Contains("Nothing sent.", output);
    }

    [Fact]
    public async Task Should_exit_with_usage_for_bad_arguments()
    {
        var (exit, output) = await CliRunner.RunAsync("", "history", "--tenant", "t");
        var (timeoutExit, timeout) = await CliRunner.RunAsync("", "history", "-t", "t", "-s", "s", "--timeout", "0");

        Assert.Equal(2, exit);
        Assert.Contains("--session", output);
        Assert.Equal(2, timeoutExit);
        Assert.Contains("--timeout must be 1 to 600 seconds", timeout);
    }

    [Fact]
    public async Task Should_list_a_tenants_sessions_as_a_table_and_as_json_and_page_with_after()
    {
        var tenant = TestIds.Tenant();
        await worker.Client.SendTurnAsync(tenant, "a-session", "I want a skill that formats SQL queries");
        await worker.Client.SendTurnAsync(tenant, "b-session", "I want a skill that lints YAML");

        var (tableExit, table) = await CliRunner.RunAsync("", "sessions", "-t", tenant);
        var (pageExit, page) = await CliRunner.RunAsync("", "sessions", "-t", tenant, "--limit", "1", "--json");
        var (nextExit, next) = await CliRunner.RunAsync("", "sessions", "-t", tenant, "--after", "a-session", "--json");
        var (badExit, bad) = await CliRunner.RunAsync("", "sessions", "-t", tenant, "--status", "sleeping");
        // Only `migrate` may reach PostgreSQL: listing works with no database configured for the CLI at all.
        var (busOnlyExit, busOnly) = await CliRunner.RunWithAsync(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = "" },
            "", "sessions", "-t", tenant, "--json");

        Assert.Equal((0, 0, 0), (tableExit, pageExit, nextExit));
        Assert.Contains("a-session", table);
        Assert.Contains("b-session", table);
        Assert.Equal(["a-session"], SessionIds(page));
        using (var paged = JsonDocument.Parse(page))
        {
            Assert.Equal("a-session", paged.RootElement.GetProperty("nextAfter").GetString()); // the cursor of the next page
        }
        Assert.Equal(["b-session"], SessionIds(next));
        Assert.Equal(2, badExit);
        Assert.Contains("sleeping", bad);
        Assert.Equal(0, busOnlyExit);
        Assert.Equal(["a-session", "b-session"], SessionIds(busOnly));
    }

    [Fact]
    public async Task Should_report_a_current_schema_on_migrate()
    {
        var (exit, output) = await CliRunner.RunAsync("", "migrate");
        var (listExit, list) = await CliRunner.RunAsync("", "migrate", "--list", "--json");

        Assert.Equal(0, exit);
        Assert.Contains("Schema is current", output);
        Assert.Equal(0, listExit);
        using var document = JsonDocument.Parse(list);
        var migrations = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(SkillForge.Sessions.Migrations.SchemaMigrator.EmbeddedMigrations.Count, migrations.Count);
        Assert.All(migrations, m => Assert.Equal("applied", m.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Should_exit_with_infrastructure_when_postgres_is_unreachable()
    {
        var (exit, output) = await CliRunner.RunWithAsync(
            new Dictionary<string, string?> { ["ConnectionStrings:PostgresAdmin"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2" },
            "", "migrate");

        Assert.Equal(3, exit);
        Assert.StartsWith("error:", output);
    }

    [Fact]
    public async Task Should_write_errors_to_standard_error_and_as_json_there_with_json()
    {
        var unreachable = new Dictionary<string, string?> { ["RabbitMq:Port"] = "1" };

        var (exit, output, error) = await CliRunner.RunSplitAsync(unreachable, "", "history", "-t", TestIds.Tenant(), "-s", "s", "--timeout", "2", "--json");
        var (usageExit, usageOutput, usageError) = await CliRunner.RunSplitAsync(new Dictionary<string, string?>(), "", "history", "--tenant", "t");

        Assert.Equal((3, ""), (exit, output)); // a script reading the output gets nothing half-written
        using (var document = JsonDocument.Parse(error))
        {
            Assert.StartsWith("error:", document.RootElement.GetProperty("error").GetString());
            Assert.Equal(3, document.RootElement.GetProperty("exitCode").GetInt32());
        }
        Assert.Equal((2, ""), (usageExit, usageOutput));
        Assert.Contains("--session", usageError);
    }

    [Theory]
    [InlineData("RabbitMq:Password", "history")]
    [InlineData("ConnectionStrings:PostgresAdmin", "migrate")]
    public async Task Should_name_a_missing_credential_and_exit_with_usage(string setting, string command)
    {
        string[] args = command == "history" ? ["history", "-t", TestIds.Tenant(), "-s", "s", "--timeout", "2"] : [command];

        var (exit, output) = await CliRunner.RunWithAsync(new Dictionary<string, string?> { [setting] = "" }, "", args);

        Assert.Equal(2, exit);
        Assert.StartsWith("error:", output);
        Assert.Contains(setting, output);
    }

    [Fact]
    public void Should_ship_no_credential_in_its_base_settings()
    {
        var settings = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "SkillForge.Cli", "appsettings.json"));

        Assert.DoesNotContain("Password", settings, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Should_exit_with_infrastructure_when_the_broker_is_unreachable()
    {
        var (exit, output) = await CliRunner.RunWithAsync(new Dictionary<string, string?> { ["RabbitMq:Port"] = "1" },
            "", "history", "-t", TestIds.Tenant(), "-s", "s", "--timeout", "2");

        Assert.Equal(3, exit);
        Assert.StartsWith("error:", output);
    }

    private static string[] SessionIds(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()!).ToArray();
    }
}
