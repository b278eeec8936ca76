using System.Diagnostics;

namespace SkillForge.Sessions.Retention;

/// <summary>
/// How long this process's latest chat turns took, kept for the purge to pace itself by: what chat is experiencing
/// right now, measured by whoever serves it (the worker's turn consumer, from delivery to the answer sent). A ring of
/// the last <see cref="Capacity"/> turns (about 16 s at 1,000 turns/s); recording one costs two array writes.
/// </summary>
public sealed class ChatLatencies
{
    public const int Capacity = 16_384;

    private readonly long[] _endedAt = new long[Capacity];
    private readonly long[] _took = new long[Capacity];
    private long _recorded;

    /// <summary>A turn that began at <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp) has just ended.</summary>
    public void Record(long startedAt)
    {
        var now = Stopwatch.GetTimestamp();
        var slot = (Interlocked.Increment(ref _recorded) - 1) & (Capacity - 1);
        _took[slot] = now - startedAt;
        Volatile.Write(ref _endedAt[slot], now);
    }

    /// <summary>
    /// The turns that ended after <paramref name="from"/> and up to <paramref name="to"/> (timestamps), and how many
    /// of them took longer than <paramref name="limit"/>. A slot being written while it is read may pair one turn's
    /// end with another's duration: one sample in thousands, which a pace can live with and a lock on every turn could not.
    /// </summary>
    public ChatSample Between(long from, long to, TimeSpan limit)
    {
        var limitTicks = (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var turns = 0;
        var slow = 0;
        foreach (var took in TookBetween(from, to))
        {
            turns++;
            if (took > limitTicks)
            {
                slow++;
            }
        }
        return new ChatSample(turns, slow);
    }

    /// <summary>The <paramref name="percentile"/> of the turns that ended after <paramref name="from"/>; null below <paramref name="atLeast"/> of them.</summary>
    public TimeSpan? Percentile(long from, double percentile, int atLeast)
    {
        var took = TookBetween(from, long.MaxValue).ToList();
        if (took.Count < atLeast)
        {
            return null;
        }
        took.Sort();
        var index = Math.Min(took.Count - 1, (int)Math.Ceiling(percentile / 100 * took.Count) - 1);
        return TimeSpan.FromSeconds((double)took[index] / Stopwatch.Frequency);
    }

    /// <summary>How long each turn that ended after <paramref name="from"/> and up to <paramref name="to"/> took, in <see cref="Stopwatch"/> ticks.</summary>
    private IEnumerable<long> TookBetween(long from, long to)
    {
        for (var slot = 0; slot < Capacity; slot++)
        {
            // A slot never written holds 0, which a window reaching back past the clock's start would take for a turn.
            var endedAt = Volatile.Read(ref _endedAt[slot]);
            if (endedAt != 0 && endedAt > from && endedAt <= to)
            {
                yield return _took[slot];
            }
        }
    }
}

/// <summary>Chat turns over a stretch of time: how many ended in it, and how many of those were slower than a limit.</summary>
public readonly record struct ChatSample(int Turns, int Slow)
{
    public static ChatSample operator +(ChatSample a, ChatSample b) => new(a.Turns + b.Turns, a.Slow + b.Slow);
}
