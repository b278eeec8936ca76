using System.Diagnostics;
using SkillForge.Harness;

namespace SkillForge.Chaos;

/// <summary>
/// Redis Cluster (<c>ops/dev.sh up --redis-cluster</c>): a master killed under load, its replica promoted by the
/// cluster, the old master back as a replica. The cache steps aside for the dead master's slots meanwhile, so no
/// turn may fail or be lost.
/// </summary>
internal static partial class ChaosSuite
{
    private const string RedisClusterNodes = "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";

    private static readonly string[] RedisClusterSettings =
        [$"--ConnectionStrings:Redis={RedisClusterNodes},user=skillforge-worker,password=skillforge-worker"];

    private static async Task KillRedisMasterAsync()
    {
        var masters = (await ShellOutput($"{RepositoryRoot.Path}/ops/dev.sh redis-masters")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (masters.Length != 3)
        {
            throw new ChaosCheckException($"expected three Redis masters before the kill, found {masters.Length}");
        }
        var victim = masters[0];
        var killed = Stopwatch.GetTimestamp();
        await Shell($"{RepositoryRoot.Path}/ops/dev.sh redis-node kill {victim}");
        // Every slot served again means the dead master's replica has taken its slots over.
        await Shell($"{RepositoryRoot.Path}/ops/dev.sh redis-wait");
        var promoted = (await ShellOutput($"{RepositoryRoot.Path}/ops/dev.sh redis-masters")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Console.WriteLine($"   master {victim} killed; its replica serves its slots after {Stopwatch.GetElapsedTime(killed).TotalSeconds:F1} s (masters now {string.Join(' ', promoted)})");
        if (promoted.Contains(victim) || promoted.Length != 3)
        {
            throw new ChaosCheckException($"no replica took over from master {victim}");
        }
        await Task.Delay(TimeSpan.FromSeconds(4));
        await Shell($"{RepositoryRoot.Path}/ops/dev.sh redis-node start {victim}");
    }
}
