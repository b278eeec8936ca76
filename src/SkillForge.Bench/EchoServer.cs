using System.Diagnostics;
using Dapper;
using Npgsql;
using SkillForge.Harness;
using SkillForge.Sessions.Hosting;

namespace SkillForge.Bench;

/// <summary>
/// The echoes in a process of their own, as the worker is one: senders and consumers sharing a process would share its
/// thread pool and CPU, which flatters neither side and is not how the worker runs. The benchmark starts this
/// executable again with <c>echo-server</c>; it serves until its standard input closes.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    public const string Argument = "echo-server";
    private const string DatabaseVariable = "SKILLFORGE_BENCH_ECHO_DATABASE";

    private readonly Process _process;

    private EchoServer(Process process) => _process = process;

    /// <summary>Creates the durable echo's table in <paramref name="database"/> and starts the echo process on it.</summary>
    public static async Task<EchoServer> StartAsync(ScratchDatabase database)
    {
        await using (var connection = await database.Admin.OpenConnectionAsync())
        {
            var appRole = new NpgsqlConnectionStringBuilder(database.AppConnectionString).Username;
            await connection.ExecuteAsync($"""
                CREATE TABLE IF NOT EXISTS {DurableEchoConsumer.Table} (
                    turn_id uuid PRIMARY KEY, tenant_id text NOT NULL, session_id text NOT NULL, text text NOT NULL,
                    at timestamptz NOT NULL DEFAULT now());
                GRANT INSERT ON {DurableEchoConsumer.Table} TO "{appRole}";
                """);
        }
        var self = Environment.ProcessPath!;
        string[] arguments = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(EchoServer).Assembly.Location, Argument] : [Argument];
        var start = new ProcessStartInfo(self, arguments) { RedirectStandardInput = true, RedirectStandardOutput = true };
        start.Environment[DatabaseVariable] = database.AppConnectionString; // not on the command line, where ps shows it
        var process = Process.Start(start)!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        if (ready != "ready")
        {
            process.Kill();
            throw new InvalidOperationException($"The echo process did not start: {ready}");
        }
        return new EchoServer(process);
    }

    /// <summary>The echo process's side.</summary>
    public static async Task<int> ServeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(DatabaseVariable)
                               ?? throw new InvalidOperationException($"{DatabaseVariable} is not set: the benchmark starts this process itself.");
        await using var database = SessionsHostingExtensions.BuildDataSource(connectionString, "skillforge-bench-echo");
        using var bus = await BenchBus.StartEchoesAsync(database);
        Console.WriteLine("ready");
        // Until the benchmark closes standard input (or dies, which closes it too).
        while (await Console.In.ReadLineAsync() is not null)
        {
        }
        await bus.StopAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill();
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
