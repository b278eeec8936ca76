using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;
using StackExchange.Redis;

namespace SkillForge.Worker.Tests.Erasure;

/// <summary>
/// Erased text must leave Redis's files on disk as well: until a rewrite, the append-only file still holds the
/// commands that cached it. Read as an auditor would, from the files themselves (the test runs beside the Redis that
/// ops/dev.sh starts).
/// </summary>
[Trait("Redis", "SingleNode")] // reads the append-only file of ops/dev.sh's single Redis
public sealed class AppendOnlyFileTests
{
    [Fact]
    public async Task Should_rewrite_the_append_only_file_after_an_erasure_so_no_file_holds_the_erased_text()
    {
        // A virtual host of its own: on the shared one another test's worker (rewriting hourly) may take the erasure.
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(new Dictionary<string, string?>(vhost.AsConfiguration())
        {
            ["Erasure:AofRewriteInterval"] = "00:00:01",
        });
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var marker = $"marker{Guid.NewGuid():N}";
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        Assert.True((await client.SendTurnAsync(key.TenantId, key.SessionId, $"I want a skill about {marker}")).IsReplied);
        Assert.True(await TestRedis.HoldsSessionAsync(key));
        // The check can see the text where it is: the cached session's commands are in the file now.
        await Eventually.HoldsAsync(() => Task.FromResult(FilesHold(marker)), TimeSpan.FromSeconds(5), "the cached session's text in the append-only file");
        var rewrites = await RewritesAsync();

        Assert.True((await client.EraseAsync(key.TenantId, key.SessionId, "user request")).Erased!.Existed);

        // The schedule asks within a second; the rewrite then runs in the background.
        await Eventually.HoldsAsync(async () => await RewritesAsync() > rewrites && !await InProgressAsync(), TimeSpan.FromSeconds(30), "a rewrite after the erasure");
        Assert.False(FilesHold(marker), "an append-only file still holds the erased text after the rewrite");
    }

    // CONFIG is left out of the product's connections; the test's own, as admin, needs it to find the files.
    private static readonly Lazy<IConnectionMultiplexer> Admin = new(() => ConnectionMultiplexer.Connect(TestServers.RedisAdmin + ",allowAdmin=true"));

    private static IServer Server => Admin.Value.GetServers().Single();

    private static string AofDirectory()
    {
        var dir = (string)Server.ConfigGet("dir").Single().Value!;
        var name = Server.ConfigGet("appenddirname").SingleOrDefault().Value ?? "appendonlydir";
        return Path.Combine(dir, name);
    }

    private static bool FilesHold(string marker) =>
        Directory.EnumerateFiles(AofDirectory()).Any(file => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(file)).Contains(marker, StringComparison.Ordinal));

    private static async Task<long> RewritesAsync() => long.Parse(await InfoAsync("aof_rewrites"), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<bool> InProgressAsync() => await InfoAsync("aof_rewrite_in_progress") == "1";

    private static async Task<string> InfoAsync(string field) =>
        (await Server.InfoAsync("persistence")).SelectMany(g => g).Single(p => p.Key == field).Value;
}
