namespace SkillForge.Bench;

/// <summary>
/// The share of the machine's CPU time its hypervisor gave to others (the <c>steal</c> column of /proc/stat, what
/// vmstat shows as <c>st</c>). On a shared VM it comes and goes — up to 30 % of a core at times on the 2-core
/// machine the benchmarks run on — and a phase that lost more of it looks slower for reasons of its own.
/// </summary>
internal readonly record struct StolenCpu(long Steal, long Total)
{
    /// <summary>The machine's counters now; zero where /proc/stat is absent (not Linux).</summary>
    public static StolenCpu Now()
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks; guest time is
        // already inside user and nice, so it is not added again.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(8).Select(long.Parse).ToArray();
        return new StolenCpu(ticks[7], ticks.Sum());
    }

    /// <summary>The percentage of CPU time stolen between <paramref name="before"/> and this reading; NaN without counters.</summary>
    public double PercentSince(StolenCpu before) =>
        Total > before.Total ? 100.0 * (Steal - before.Steal) / (Total - before.Total) : double.NaN;
}
