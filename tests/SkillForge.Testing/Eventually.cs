namespace SkillForge.Testing;

/// <summary>Polling for what happens in the background (a queue drains, a consumer records): every 100 ms, for a bound.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(20);

    /// <summary>Reads until <paramref name="done"/> holds or the bound passes, and returns the last value read.</summary>
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultBound);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test when it does not within the bound.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? within = null, string? what = null)
    {
        if (!await ReadAsync(condition, held => held, within))
        {
            throw new TimeoutException($"{what ?? "The condition"} did not hold within {(within ?? DefaultBound).TotalSeconds:F0} s.");
        }
    }
}
