using System.Diagnostics;
using Npgsql;
using SkillForge.Harness;

namespace SkillForge.Chaos;

/// <summary>
/// PostgreSQL failover (<c>ops/dev.sh up --ha</c>): the primary's machine dies (SIGKILL to its keeper, PostgreSQL and
/// backends), pg_auto_failover promotes the synchronous standby, the old primary rejoins as the standby, and then
/// the same again the other way.
/// </summary>
internal static partial class ChaosSuite
{
    /// <summary>
    /// Both nodes; Npgsql writes only to the one that is primary and not read-only at the moment. It caches what each
    /// host was for Host Recheck Seconds (10 by default): a standby just promoted would wait out that long unused.
    /// </summary>
    private const string HaHosts = "Host=127.0.0.1:5441,127.0.0.1:5442;Target Session Attributes=read-write;Host Recheck Seconds=1;Database=skillforge";

    /// <summary>The worker's three connection strings on the HA pair; <paramref name="relaxed"/> turns commit without waiting for the standby.</summary>
    private static string[] HaSettings(bool relaxed) =>
    [
        $"--ConnectionStrings:Postgres={HaHosts};Username=skillforge_app;Password=skillforge_app" + (relaxed ? ";Options=-c synchronous_commit=local" : ""),
        $"--ConnectionStrings:PostgresMaintenance={HaMaintenance}",
        $"--ConnectionStrings:PostgresAdmin={HaHosts};Username=skillforge;Password=skillforge",
    ];

    private const string HaMaintenance = HaHosts + ";Username=skillforge_maintenance;Password=skillforge_maintenance";

    /// <summary>Two failovers under load; prints each one's write gap and the turns written behind meanwhile.</summary>
    private static async Task FailoverTwiceAsync(WorkerProcess worker)
    {
        var queuedBefore = await WriteBehindQueuedAsync(worker.Port);
        for (var round = 1; round <= 2; round++)
        {
            var primary = (await ShellOutput($"{RepositoryRoot.Path}/ops/dev.sh ha-primary")).Trim();
            if (primary is not ("1" or "2"))
            {
                throw new ChaosCheckException($"failover {round}: no HA node takes writes before the kill ({primary})");
            }
            await using var probe = CommitProbe.Start();
            if (!await probe.CommittedAsync(TimeSpan.FromSeconds(30)))
            {
                throw new ChaosCheckException($"failover {round}: the probe could not commit on node{primary} before the kill");
            }
            await Shell($"{RepositoryRoot.Path}/ops/dev.sh ha-node kill {primary}");
            var gap = await probe.GapAsync(TimeSpan.FromSeconds(90));
            Console.WriteLine(gap is { } g
                ? $"   failover {round}: node{primary} killed; last commit on it → first on the new primary: {g.TotalSeconds:F1} s"
                : $"   failover {round}: no commit on a new primary within 90 s");
            if (gap is null)
            {
                throw new ChaosCheckException($"failover {round}: the standby was not promoted within 90 s");
            }
            // The old primary comes back as the standby (pg_rewind), so the next round has a synchronous standby to promote.
            await Shell($"{RepositoryRoot.Path}/ops/dev.sh ha-node start {primary}");
            await Shell($"{RepositoryRoot.Path}/ops/dev.sh ha-wait");
        }
        Console.WriteLine($"   answered by write-behind during the failovers: {await WriteBehindQueuedAsync(worker.Port) - queuedBefore} turns");
    }

    private static async Task<string> ShellOutput(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output;
    }

    /// <summary>
    /// A tiny commit every 50 ms on whichever node takes writes: the failover time is the gap between the last commit
    /// acknowledged before the kill and the first after it, as a client sees it.
    /// </summary>
    private sealed class CommitProbe : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<(long At, int Port)> _commits = [];
        private readonly Task _loop;

        private CommitProbe() => _loop = Task.Run(LoopAsync);

        public static CommitProbe Start() => new();

        private async Task LoopAsync()
        {
            // Short timeouts: a connect or commit must not hang on the dead node. (Pooled: with several hosts, Npgsql
            // tells the primary from the standby only in a pool; unpooled, it finds no suitable host at all.)
            await using var dataSource = NpgsqlDataSource.Create(HaHosts.Replace("Database=skillforge", "Database=postgres", StringComparison.Ordinal)
                + ";Username=postgres;Password=postgres;Timeout=2;Command Timeout=2;Application Name=skillforge-chaos-probe");
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await using var connection = await dataSource.OpenConnectionAsync(_stop.Token);
                    await using (var create = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS failover_probe (at timestamptz NOT NULL)", connection))
                    {
                        await create.ExecuteNonQueryAsync(_stop.Token);
                    }
                    // The server's own port: with several hosts, the connection's settings do not say which one answered.
                    await using var insert = new NpgsqlCommand("INSERT INTO failover_probe VALUES (now()) RETURNING inet_server_port()", connection);
                    var port = Convert.ToInt32(await insert.ExecuteScalarAsync(_stop.Token), System.Globalization.CultureInfo.InvariantCulture);
                    lock (_commits)
                    {
                        _commits.Add((Stopwatch.GetTimestamp(), port));
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                await Task.Delay(50);
            }
        }

        /// <summary>Waits for a first commit (the gap is measured from the last one before the kill).</summary>
        public async Task<bool> CommittedAsync(TimeSpan within)
        {
            for (var waited = TimeSpan.Zero; waited < within; waited += TimeSpan.FromMilliseconds(100))
            {
                lock (_commits)
                {
                    if (_commits.Count > 0)
                    {
                        return true;
                    }
                }
                await Task.Delay(100);
            }
            return false;
        }

        /// <summary>Waits for a commit on another node than the one before; the gap, or null when none came in time.</summary>
        public async Task<TimeSpan?> GapAsync(TimeSpan within)
        {
            var deadline = Stopwatch.GetTimestamp() + (long)(within.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                lock (_commits)
                {
                    var first = _commits[0];
                    var switched = _commits.FindIndex(c => c.Port != first.Port);
                    if (switched > 0)
                    {
                        return Stopwatch.GetElapsedTime(_commits[switched - 1].At, _commits[switched].At);
                    }
                }
                await Task.Delay(100);
            }
            return null;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}
