using SkillForge.Harness;
using SkillForge.Testing;
using SkillForge.Testing.Worker;

namespace SkillForge.Worker.Tests.EndToEnd;

/// <summary>
/// The packages as a team meets them: <c>ops/dev.sh pack</c> packs SkillForge.Contracts, .Broker and .Client into the
/// local feed, and samples/dotnet, which references SkillForge.Client by version and restores it from that feed (no
/// project reference), holds a conversation with the real worker, reads the history and erases the session.
/// </summary>
public sealed class DotnetSampleTests
{
    [Fact]
    public async Task Should_talk_to_the_worker_through_the_packed_client()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        var (packed, packOutput) = await SampleProcess.RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "ops", "dev.sh"), "pack"], []);
        Assert.True(packed == 0, packOutput);

        var upstream = TestServers.RabbitMqUpstream;
        var (exit, output) = await SampleProcess.RunAsync("dotnet", ["run", "--project", Path.Combine(RepositoryRoot.Path, "samples", "dotnet")], new()
        {
            ["RabbitMq__Host"] = TestServers.RabbitMqHost,
            ["RabbitMq__Port"] = TestServers.RabbitMqPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = vhost.Name,
            ["RabbitMq__Username"] = upstream.Name,
            ["RabbitMq__Password"] = upstream.Password,
            ["SKILLFORGE_TENANT"] = TestIds.Tenant(),
        });

        Assert.True(exit == 0, output);
        Assert.Contains("history: 4 messages", output, StringComparison.Ordinal);
        Assert.Contains("erased: 4 messages", output, StringComparison.Ordinal);
    }
}
