using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using SkillForge.Agent.States;
using SkillForge.Harness;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Cli.Tests;

/// <summary>
/// <c>skillforge export</c> against the real worker: a user's every session with all its messages in one document
/// that the published JSON Schema accepts.
/// </summary>
public sealed class ExportCommandTests(RealWorkerFixture worker) : IClassFixture<RealWorkerFixture>
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(RepositoryRoot.Path, "docs", "export.schema.json"));

    [Fact]
    public async Task Should_export_every_session_of_a_user_with_all_messages_in_a_document_the_schema_accepts()
    {
        var tenant = TestIds.Tenant();
        var (done, open) = (TestIds.Session(), TestIds.Session());
        foreach (var text in CompletedConversation)
        {
            await worker.Client.SendTurnAsync(tenant, done, text, userId: "ana@example.com");
        }
        await worker.Client.SendTurnAsync(tenant, open, "I want a skill that formats SQL \u001b[2J queries", userId: "ana@example.com");
        await worker.Client.SendTurnAsync(tenant, TestIds.Session(), "someone else's", userId: "bob@example.com");
        await worker.Client.SendTurnAsync(TestIds.Tenant(), TestIds.Session(), "the same user id in another tenant", userId: "ana@example.com");
        var file = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.json");

        try
        {
            var (exit, output) = await CliRunner.RunAsync("", "export", "-t", tenant, "--user", "ana@example.com", "--out", file);

            Assert.Equal(0, exit);
            Assert.Contains("Exported 2 sessions", output);
            var text = await File.ReadAllTextAsync(file);
            var document = JsonNode.Parse(text)!;
            var evaluation = Schema.Evaluate(JsonDocument.Parse(text).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            Assert.True(evaluation.IsValid, string.Join("\n", (evaluation.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
            var sessions = document["sessions"]!.AsArray();
            Assert.Equal([open, done], sessions.Select(s => s!["session"]!["sessionId"]!.GetValue<string>())); // latest activity first
            Assert.All(sessions, s => Assert.Equal(s!["session"]!["messageCount"]!.GetValue<int>(), s["messages"]!.AsArray().Count));
            Assert.Contains("---", sessions[1]!["session"]!["skillMd"]!.GetValue<string>());
            Assert.Equal("I want a skill that formats SQL \u001b[2J queries", sessions[0]!["messages"]![0]!["content"]!.GetValue<string>());
            Assert.False(File.Exists(file + ".partial"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Should_write_one_session_to_standard_output_and_say_when_it_is_missing()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        await worker.Client.SendTurnAsync(tenant, session, "I want a skill that formats SQL queries");

        var (exit, output) = await CliRunner.RunAsync("", "export", "-t", tenant, "-s", session);
        var (missingExit, missing) = await CliRunner.RunAsync("", "export", "-t", tenant, "-s", "nope", "--out", Path.Combine(Path.GetTempPath(), "never.json"));

        Assert.Equal(0, exit);
        var document = JsonNode.Parse(output)!;
        Assert.True(Schema.Evaluate(JsonDocument.Parse(output).RootElement, new EvaluationOptions { RequireFormatValidation = true }).IsValid);
        Assert.Null(document["userId"]);
        Assert.Equal(2, document["sessions"]![0]!["messages"]!.AsArray().Count);
        Assert.Equal(1, missingExit);
        Assert.Contains("not found", missing);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "never.json")));
    }

    [Fact]
    public void Should_name_every_agent_state_in_the_schema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "export.schema.json")));
        var states = schema.RootElement.GetProperty("$defs").GetProperty("session").GetProperty("properties").GetProperty("state")
            .GetProperty("enum").EnumerateArray().Select(e => e.GetString()!);

        Assert.Equal(AgentStateNames.All.Order(), states.Order());
    }

    private static readonly string[] CompletedConversation =
    [
        "I want a skill called release-notes that writes release notes from merged PRs. Description: Drafts release notes "
        + "from the PRs merged since the last tag. Steps: list merged PRs, group them by label, write the notes. "
        + "Use it when someone prepares a release. Example: \"Write the release notes for v2.3\"",
        "yes",
        "sure, save it",
    ];
}
