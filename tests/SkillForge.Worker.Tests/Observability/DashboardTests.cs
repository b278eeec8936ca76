using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Contracts;
using SkillForge.Contracts.Queues;
using SkillForge.Harness;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>
/// ops/grafana/skillforge.json charts only what exists: every metric its queries read is in the scrape of a running
/// worker or of the broker's Prometheus plugin. A renamed instrument would otherwise leave a panel silently empty.
/// </summary>
public sealed class DashboardTests
{
    private const string RacedText = "Name it sql-formatter";

    /// <summary>A real run (a dry run records no metrics), dated so long ago that it abandons and purges nothing in the shared database.</summary>
    private static readonly DateTimeOffset LongAgo = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string DashboardPath = Path.Combine(RepositoryRoot.Path, "ops", "grafana", "skillforge.json");

    /// <summary>
    /// The plugin's totals, and its per-queue figures: ops/rabbitmq does not set prometheus.return_per_object_metrics,
    /// so per queue they are only on /metrics/detailed.
    /// </summary>
    private static readonly Uri[] BrokerScrapes =
    [
        new($"http://{TestServers.RabbitMqManagement.Host}:15692/metrics"),
        new($"http://{TestServers.RabbitMqManagement.Host}:15692/metrics/detailed?family=queue_coarse_metrics"),
    ];

    [Theory]
    [InlineData("sum by (outcome) (rate(skillforge_turns_total{outcome=\"failed\"}[5m]))", "skillforge_turns_total")]
    [InlineData("histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[$__rate_interval]))) > 0.2", "x_seconds_bucket")]
    [InlineData("sum(rate(hits_total{result=\"hit\"}[5m])) / ignoring (result) sum(rate(lookups_total[5m]))", "hits_total lookups_total")]
    [InlineData("max by (status) (skillforge_sessions) offset 5m", "skillforge_sessions")]
    [InlineData("label_replace(up, \"dst\", \"$1 {not_a_metric}\", \"src\", \"(.*)\")", "up")]
    [InlineData("depth{queue=~\".+_(error|skipped)\", vhost=\"$vhost\"} > bool 0 and on (queue) consumers", "consumers depth")]
    [InlineData("count without (le) (job:requests:rate5m) * 1e6 unless absent(other_metric)", "job:requests:rate5m other_metric")]
    [InlineData("vector(1) + Inf", "")]
    public void Should_extract_the_metric_names_an_expression_reads(string expression, string expected) =>
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), PromQlMetricNames.Of(expression).ToArray());

    [Fact]
    public void Should_give_every_panel_a_title_a_description_and_queries_on_the_chosen_prometheus()
    {
        var panels = Dashboard().GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row").ToList();

        Assert.NotEmpty(panels);
        Assert.All(panels, panel =>
        {
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(panel.GetProperty("description").GetString()));
            Assert.Equal("${datasource}", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.NotEmpty(Expressions(panel.GetProperty("targets")));
            Assert.All(Expressions(panel.GetProperty("targets")), expr => Assert.NotEmpty(PromQlMetricNames.Of(expr)));
        });
    }

    [Fact]
    public async Task Should_chart_only_metrics_a_running_worker_and_the_broker_export()
    {
        var charted = Expressions(Dashboard()).SelectMany(PromQlMetricNames.Of).ToHashSet(StringComparer.Ordinal);
        // A virtual host of the test's own: the turns and the cleanup below are this worker's, not another test's. The
        // worker runs as its own process: in this test process other tests' worker hosts come and go, and their
        // meters share names with its meters, so a host that stops can take the shared series out of the scrape.
        await using var vhost = await TestVirtualHost.CreateAsync();
        var port = FreePort();
        await using var worker = await WorkerProcess.StartBuildAsync("Debug", port,
        [
            $"--RabbitMq:VirtualHost={vhost.Name}",
            $"--ConnectionStrings:Postgres={TestServers.Postgres}",
            $"--ConnectionStrings:PostgresMaintenance={TestServers.PostgresMaintenance}",
            $"--ConnectionStrings:PostgresAdmin={TestServers.PostgresAdmin}",
            $"--ConnectionStrings:Redis={TestServers.Redis}",
        ]);
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        using var operatorBus = await RealWorker.StartUpstreamAsync(vhost.Name, TestServers.RabbitMqOperator);
        using var http = new HttpClient();
        var client = RealWorker.ClientOf(upstream);
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());

        // Most series appear only once observed: a turn; a turn that loses a version race (another instance wrote the
        // session after this worker cached it); a cleanup.
        Assert.True((await client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL")).IsReplied);
        await AppendRivalTurnAsync(await SharedDatabase.CreateStoreAsync(), key);
        Assert.True((await client.SendTurnAsync(key.TenantId, key.SessionId, RacedText)).IsReplied);
        var cleanup = await operatorBus.Services.GetRequiredService<IBus>().GetSendEndpoint(SkillForgeQueues.Address(SkillForgeQueues.Cleanup));
        await cleanup.Send(new CleanupSessions(LongAgo, DryRun: false));

        // The sessions gauge counts in the background after its first scrape, and the cleanup may wait for another's lock.
        var missing = await Eventually.ReadAsync(async () => charted.Except(await ExportedAsync(http, new Uri($"http://127.0.0.1:{port}"))).Order().ToList(),
            m => m.Count == 0, TimeSpan.FromSeconds(90));

        Assert.True(missing.Count == 0, $"The dashboard charts metrics nobody exports: {string.Join(", ", missing)}");
        await upstream.StopAsync();
        await operatorBus.StopAsync();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static JsonElement Dashboard()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        return document.RootElement.Clone();
    }

    /// <summary>Every <c>expr</c> below <paramref name="element"/>, wherever Grafana nests it (rows, targets).</summary>
    private static IEnumerable<string> Expressions(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name == "expr" && p.Value.ValueKind == JsonValueKind.String ? new[] { p.Value.GetString()! } : Expressions(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Expressions),
        _ => [],
    };

    /// <summary>The names of the samples in the worker's and the broker's scrapes: a name counts once it has a value.</summary>
    private static async Task<HashSet<string>> ExportedAsync(HttpClient http, Uri address)
    {
        var scrapes = new List<string> { await http.GetStringAsync(new Uri(address, "/metrics")) };
        foreach (var broker in BrokerScrapes)
        {
            scrapes.Add(await http.GetStringAsync(broker));
        }
        return scrapes.SelectMany(s => s.Split('\n'))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('{', ' ')[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>What a second instance holding the same session writes while this one computes its turn.</summary>
    private static async Task AppendRivalTurnAsync(SessionStore store, SessionKey key)
    {
        var stored = (await store.LoadAsync(key, default))!;
        await store.AppendTurnAsync(new TurnToAppend
        {
            Key = key, TurnId = Guid.NewGuid(), ExpectedVersion = stored.Version, UserText = "from another instance", Reply = "ok",
            PreviousState = stored.State, State = stored.State, Status = stored.Status, ContextJson = stored.ContextJson, At = DateTimeOffset.UtcNow,
        }, default);
    }
}
