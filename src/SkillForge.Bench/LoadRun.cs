using System.Diagnostics;

namespace SkillForge.Bench;

/// <summary>Closed-loop load: N senders, each sending its next request when the last one is answered.</summary>
internal static class LoadRun
{
    /// <param name="CpuSeconds">CPU time each part of the system (<see cref="ProcessCpu.Parts"/>) used during the run.</param>
    public sealed record Result(string Scenario, int Senders, double PerSecond, double P50Ms, double P99Ms, long Count, long Errors,
        double Seconds, IReadOnlyDictionary<string, double> CpuSeconds)
    {
        /// <summary>Milliseconds of CPU a request cost in <paramref name="part"/>.</summary>
        public double CpuMsPerRequest(string part) => Count == 0 ? 0 : CpuSeconds[part] * 1000 / Count;

        /// <summary>Share of the machine's cores the whole system kept busy.</summary>
        public double MachineBusy => CpuSeconds.Values.Sum() / Seconds / Environment.ProcessorCount;
    }

    /// <param name="call">Sends one request for sender <c>s</c>, its <c>n</c>-th; false or an exception counts as an error.</param>
    public static async Task<Result> RunAsync(string scenario, int senders, TimeSpan duration, Func<int, long, Task<bool>> call)
    {
        // A short warm-up per sender count: connections, JIT, the first queue declarations.
        await RunForAsync(Math.Min(senders, 4), TimeSpan.FromSeconds(2), call, new LatencyRecorder());
        var recorder = new LatencyRecorder();
        var cpu = ProcessCpu.Snapshot();
        var started = Stopwatch.GetTimestamp();
        var (errors, firstError) = await RunForAsync(senders, duration, call, recorder);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var result = new Result(scenario, senders, recorder.Count / seconds, recorder.PercentileMs(50), recorder.PercentileMs(99), recorder.Count, errors,
            seconds, ProcessCpu.Since(cpu));
        Console.WriteLine($"  {scenario,-12} {senders,3} senders: {result.PerSecond,8:F0}/s  p50 {result.P50Ms,7:F2} ms  p99 {result.P99Ms,7:F2} ms  errors {errors}" +
                          $"  CPU {result.MachineBusy:P0} busy, ms/request: " +
                          string.Join(" ", ProcessCpu.Parts.Select(p => $"{p} {result.CpuMsPerRequest(p):F2}")));
        if (firstError is not null)
        {
            Console.WriteLine($"    first error: {firstError.GetType().Name}: {firstError.Message}");
        }
        return result;
    }

    private static async Task<(long Errors, Exception? First)> RunForAsync(int senders, TimeSpan duration, Func<int, long, Task<bool>> call, LatencyRecorder recorder)
    {
        var errors = 0L;
        Exception? first = null;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(async () =>
        {
            for (var n = 0L; Stopwatch.GetTimestamp() < deadline; n++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (await call(s, n))
                    {
                        recorder.Record(started);
                        continue;
                    }
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref first, e, null);
                }
                Interlocked.Increment(ref errors);
            }
        })));
        return (errors, first);
    }
}
