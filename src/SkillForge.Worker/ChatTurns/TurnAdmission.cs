using Microsoft.Extensions.Options;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Counts the turns each session and each tenant have inside this worker, running or waiting for their session's
/// partition. A turn waiting for its session holds one of the endpoint's concurrent-message slots, so without a bound
/// one session sending many turns at once (or one tenant) could take every slot and stall everybody else.
/// </summary>
public sealed class TurnAdmission(IOptions<WorkerOptions> options)
{
    public const string SessionBusy = "session_busy";
    public const string RateLimited = "rate_limited";

    private readonly WorkerOptions _options = options.Value;
    private readonly Dictionary<string, int> _sessions = [];
    private readonly Dictionary<string, int> _tenants = [];
    private readonly Lock _gate = new();

    /// <summary>Admits the turn, or says why not; dispose the result when the turn leaves the worker.</summary>
    public Admission Admit(string tenantId, string sessionId)
    {
        var session = $"{tenantId.Length}:{tenantId}:{sessionId}";
        lock (_gate)
        {
            var waiting = _sessions.GetValueOrDefault(session);
            if (waiting > _options.MaxTurnsWaitingPerSession)
            {
                return new Admission(null, SessionBusy,
                    $"{waiting} turns of this session are already in progress or waiting; send this one again once they are answered.");
            }
            var tenantLimit = _options.MaxTurnsInFlightPerTenant;
            if (tenantLimit > 0 && _tenants.GetValueOrDefault(tenantId) >= tenantLimit)
            {
                return new Admission(null, RateLimited,
                    $"This tenant has {tenantLimit} turns in progress, its share of this worker; send again after {_options.RateLimitedRetryAfter.TotalSeconds:0.###} s.");
            }
            _sessions[session] = waiting + 1;
            _tenants[tenantId] = _tenants.GetValueOrDefault(tenantId) + 1;
            return new Admission(() => Leave(tenantId, session), null, null);
        }
    }

    private void Leave(string tenantId, string session)
    {
        lock (_gate)
        {
            Decrement(_sessions, session);
            Decrement(_tenants, tenantId);
        }
    }

    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        if (counts[key] <= 1)
        {
            counts.Remove(key);
        }
        else
        {
            counts[key]--;
        }
    }

    /// <summary>An admitted turn (<see cref="Code"/> null) or a refusal with the code and reason to answer with.</summary>
    public sealed class Admission(Action? leave, string? code, string? reason) : IDisposable
    {
        private Action? _leave = leave;

        public string? Code { get; } = code;

        public string? Reason { get; } = reason;

        public void Dispose() => Interlocked.Exchange(ref _leave, null)?.Invoke();
    }
}
