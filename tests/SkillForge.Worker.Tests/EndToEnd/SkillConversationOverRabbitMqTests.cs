using Dapper;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Agent.Hosting;
using SkillForge.Client;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// Issue #4 through the real worker: a whole skill-creation conversation to <c>completed</c> with the default
/// responder, and a failing language model that loses nothing.
/// </summary>
public sealed class SkillConversationOverRabbitMqTests(RealWorkerFixture fixture) : IClassFixture<RealWorkerFixture>
{
    private SkillForgeClient Client => fixture.Client;

    [Fact]
    public async Task Should_hold_a_whole_conversation_to_completed_and_keep_the_skill_on_the_session()
    {
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        string[] script =
        [
            "I want a skill called release-notes that writes release notes from merged PRs. Description: Drafts release notes "
            + "from the PRs merged since the last tag. Steps: list merged PRs, group them by label, write the notes. "
            + "Use it when someone prepares a release. Example: \"Write the release notes for v2.3\"",
            "yes",
            "sure, save it",
        ];

        var replies = new List<Contracts.ChatTurnReplied>();
        foreach (var text in script)
        {
            var result = await Client.SendTurnAsync(tenant, session, text);
            Assert.True(result.IsReplied, result.Rejected?.Reason);
            replies.Add(result.Replied!);
        }

        Assert.Equal(("completed", "completed"), (replies[^1].State, replies[^1].Status));
        Assert.All(replies[..^1], r => Assert.Equal("active", r.Status));
        var history = (await Client.GetHistoryAsync(tenant, session)).History!;
        Assert.Equal("release-notes", history.SkillName);
        Assert.Equal(("completed", 6), (history.Status, history.Messages.Count));
        Assert.Contains(history.Messages, m => m.Role == "assistant" && m.Content.Contains("name: release-notes", StringComparison.Ordinal));

        await using (var connection = await SharedDatabase.App.OpenConnectionAsync())
        {
            // Row-level security: the app role sees a tenant's rows only once it names the tenant.
            await connection.ExecuteAsync("SELECT set_config('skillforge.tenant_id', @tenant, false)", new { tenant });
            var row = await connection.QuerySingleAsync<(DateTime? CompletedAt, string SkillMd, string? SkillLayer)>(
                "SELECT completed_at, context->>'generated_skill_md', skill_layer FROM sessions WHERE tenant_id = @tenant AND session_id = @session",
                new { tenant, session });
            Assert.NotNull(row.CompletedAt);
            Assert.Equal("organization", row.SkillLayer); // where it was saved, for whom a later offer of it is meant
            Assert.StartsWith("---\nname: release-notes\ndescription: ", row.SkillMd, StringComparison.Ordinal);
        }

        // Completed is terminal: a further turn is refused and writes nothing.
        var after = await Client.SendTurnAsync(tenant, session, "one more thing");
        Assert.Equal("session_closed", after.Rejected!.Code);
        Assert.Equal(6, (await Client.GetHistoryAsync(tenant, session)).History!.Messages.Count);
    }

    [Fact]
    public async Task Should_keep_every_message_and_apologise_when_the_language_model_fails()
    {
        // Own virtual host: the worker with the failing model is the only one, and takes no other test's turns.
        await using var vhost = await TestVirtualHost.CreateAsync();
        var model = new BrokenChatClient();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration(),
            s => s.AddKeyedSingleton<IChatClient>(AgentHostingExtensions.ChatClientKey, model));
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var tenant = TestIds.Tenant();
        var session = TestIds.Session();
        string[] texts = ["I want a skill that summarises pull requests", "Name it pr-digest"];

        var replies = new List<Contracts.ChatTurnReplied>();
        foreach (var text in texts)
        {
            var result = await client.SendTurnAsync(tenant, session, text);
            Assert.True(result.IsReplied, result.Rejected?.Reason);
            replies.Add(result.Replied!);
        }

        Assert.Equal(2, model.Calls);
        Assert.All(replies, r => Assert.StartsWith("I'm sorry — the language model", r.Reply, StringComparison.Ordinal));
        Assert.All(replies, r => Assert.Equal(("gathering_details", "active"), (r.State, r.Status)));
        Assert.Equal([1L, 2], replies.Select(r => r.Version));
        var history = (await client.GetHistoryAsync(tenant, session)).History!;
        Assert.Equal(texts, history.Messages.Where(m => m.Role == "user").Select(m => m.Content));
        Assert.Equal(replies.Select(r => r.Reply), history.Messages.Where(m => m.Role == "assistant").Select(m => m.Content));
        await upstream.StopAsync();
    }

    /// <summary>A language model whose endpoint refuses every call, as an unreachable provider would.</summary>
    private sealed class BrokenChatClient : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            throw new HttpRequestException("Connection refused (127.0.0.1:9)");
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
