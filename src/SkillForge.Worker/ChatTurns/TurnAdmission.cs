using Microsoft.Extensions.Options;
using SkillForge.Worker.Hosting;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Admits chat turns into the worker and puts each session's turns in a line: one at a time, in the order they were
/// admitted. A turn waiting for its session holds one of the endpoint's concurrent-message slots, so the number that
/// may wait per session (and per tenant) is bounded; past it a turn is refused at once. Each session has a line of its
/// own, so a busy session never delays another (a hash partitioner would put unrelated sessions behind each other).
/// </summary>
public sealed class TurnAdmission(IOptions<WorkerOptions> options)
{
    public const string SessionBusy = "session_busy";
    public const string RateLimited = "rate_limited";

    private readonly WorkerOptions _options = options.Value;
    private readonly Dictionary<string, SessionLine> _sessions = [];
    private readonly Dictionary<string, int> _tenants = [];
    private readonly Lock _gate = new();

    /// <summary>Admits the turn, or says why not; dispose the result when the turn leaves the worker.</summary>
    public Admission Admit(string tenantId, string sessionId)
    {
        var session = $"{tenantId.Length}:{tenantId}:{sessionId}";
        lock (_gate)
        {
            var line = _sessions.GetValueOrDefault(session);
            if (line is not null && line.Count > _options.MaxTurnsWaitingPerSession)
            {
                return Admission.Refused(SessionBusy,
                    $"{line.Count} turns of this session are already in progress or waiting; send this one again once they are answered.");
            }
            var tenantLimit = _options.MaxTurnsInFlightPerTenant;
            if (tenantLimit > 0 && _tenants.GetValueOrDefault(tenantId) >= tenantLimit)
            {
                return Admission.Refused(RateLimited,
                    $"This tenant has {tenantLimit} turns in progress, its share of this worker; send again after {_options.RateLimitedRetryAfter.TotalSeconds:0.###} s.");
            }
            line ??= _sessions[session] = new SessionLine();
            line.Count++;
            _tenants[tenantId] = _tenants.GetValueOrDefault(tenantId) + 1;
            var before = line.Last;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            line.Last = done.Task;
            return new Admission(before, done, () => Leave(tenantId, session));
        }
    }

    private void Leave(string tenantId, string session)
    {
        lock (_gate)
        {
            if (--_sessions[session].Count == 0)
            {
                _sessions.Remove(session);
            }
            if (--_tenants[tenantId] == 0)
            {
                _tenants.Remove(tenantId);
            }
        }
    }

    private sealed class SessionLine
    {
        public int Count { get; set; }

        public Task Last { get; set; } = Task.CompletedTask;
    }

    /// <summary>An admitted turn (<see cref="Code"/> null) or a refusal with the code and reason to answer with.</summary>
    public sealed class Admission : IDisposable
    {
        private readonly Task _before;
        private readonly TaskCompletionSource? _done;
        private Action? _leave;

        internal Admission(Task before, TaskCompletionSource? done, Action? leave)
        {
            _before = before;
            _done = done;
            _leave = leave;
        }

        public string? Code { get; private init; }

        public string? Reason { get; private init; }

        internal static Admission Refused(string code, string reason) =>
            new(Task.CompletedTask, null, null) { Code = code, Reason = reason };

        /// <summary>Waits until the turns of the session admitted before this one have left the worker.</summary>
        public Task WaitForTurnAsync(CancellationToken cancellationToken) => _before.WaitAsync(cancellationToken);

        /// <summary>
        /// Lets the session's next turn go — but never before this one's predecessor has left, even when this turn gave
        /// up waiting (a stop), so two turns of a session never run at once.
        /// </summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _leave, null) is not { } leave)
            {
                return;
            }
            leave();
            if (_done is not null)
            {
                _before.ContinueWith(_ => _done.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }
}
