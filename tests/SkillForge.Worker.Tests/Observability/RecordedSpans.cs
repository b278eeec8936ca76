using System.Collections.Concurrent;
using System.Diagnostics;
using SkillForge.Worker.Observability;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>
/// Every span of the named sources that ends while this lives. A listener hears the whole process, and other test
/// classes run hosts beside this one: a test picks its own spans by the tenant id it made.
/// </summary>
internal sealed class RecordedSpans : ConcurrentQueue<Activity>, IDisposable
{
    private readonly ActivityListener _listener;

    public RecordedSpans(params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Our spans of the turns of <paramref name="tenantId"/>.</summary>
    public IReadOnlyList<Activity> OfTenant(string tenantId) =>
        this.Where(span => Equals(span.GetTagItem(TurnSpans.TenantIdTag), tenantId)).ToList();

    /// <summary>The span <paramref name="name"/> of <paramref name="tenantId"/>'s turn, once it has ended (a turn is answered before its span ends).</summary>
    public async Task<Activity> EndedAsync(string tenantId, string name)
    {
        await SkillForge.Testing.Eventually.HoldsAsync(() => Task.FromResult(OfTenant(tenantId).Any(s => s.OperationName == name)),
            what: $"the '{name}' span of {tenantId} ended");
        return Assert.Single(OfTenant(tenantId), s => s.OperationName == name);
    }

    public void Dispose() => _listener.Dispose();
}
