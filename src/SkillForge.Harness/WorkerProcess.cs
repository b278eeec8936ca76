using System.Diagnostics;

namespace SkillForge.Harness;

/// <summary>The real worker as its own process (Release build), so its memory is its own to measure.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public int Port { get; private init; }

    /// <summary>The extra settings it was started with (a restart reuses them).</summary>
    public string[] Settings { get; private init; } = [];

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <param name="settings">More configuration as command-line arguments (<c>--Section:Key=value</c>).</param>
    public static Task<WorkerProcess> StartAsync(int port = 18080, params string[] settings) => StartBuildAsync("Release", port, settings);

    /// <summary>The worker of the given build (<c>Debug</c> is what a test run has built), as <see cref="StartAsync"/>.</summary>
    /// <param name="environment">Variables for the worker's process beyond the caller's (a runtime knob, say).</param>
    public static async Task<WorkerProcess> StartBuildAsync(string configuration, int port, string[] settings,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var binary = Path.Combine(RepositoryRoot.Path, $"src/SkillForge.Worker/bin/{configuration}/net10.0/SkillForge.Worker");
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"Build the worker first: dotnet build -c {configuration} src/SkillForge.Worker ({binary} is missing).");
        }
        var start = new ProcessStartInfo(binary, [$"--Urls=http://127.0.0.1:{port}", "--Cleanup:Enabled=false", "--Logging:LogLevel:Default=Warning", .. settings])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The development credentials and MigrateOnStart live in appsettings.Development.json, not the shipped base file.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")))
        {
            start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health/ready")).IsSuccessStatusCode)
                {
                    return new WorkerProcess(process) { Port = port, Settings = settings };
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        process.Kill();
        throw new InvalidOperationException("The worker did not become ready within a minute.");
    }

    /// <summary>Resident set size now and its peak (VmHWM) so far, in MiB, from /proc.</summary>
    public (double Current, double Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Read(string key) => double.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0]) / 1024;
        return (Read("VmRSS"), Read("VmHWM"));
    }

    /// <summary>SIGKILL: no chance to finish, acknowledge or say goodbye.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
