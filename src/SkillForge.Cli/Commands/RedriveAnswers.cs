using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using MassTransit;
using SkillForge.Broker;
using SkillForge.Contracts;

namespace SkillForge.Cli.Commands;

/// <summary>
/// What the worker answered to the chat turns a redrive moved. Each turn's envelope is sent back with this CLI's own
/// reply queue as its response address, so the operator learns what became of it, a turn of a session erased after it
/// was sent (<c>session_erased</c>) included. Its first caller stopped waiting long ago; resending the same TurnId gets
/// the same answer.
/// </summary>
internal sealed class RedriveAnswers
{
    private readonly ConcurrentDictionary<Guid, string> _answers = new(); // request id -> "replied" or a rejection code
    private readonly HashSet<Guid> _sent = [];
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Uri? _address;

    /// <summary>Listens on a private reply queue of the operator's.</summary>
    public async Task<HostReceiveEndpointHandle> ListenAsync(IBus bus, string username)
    {
        var handle = bus.ConnectPrivateEndpoint(username, "redrive-answers", endpoint =>
        {
            // Answers come addressed to this queue: no binding to the message types' exchanges, which the operator may
            // not declare (the endpoint would retry that for ever and never be ready).
            endpoint.ConfigureConsumeTopology = false;
            endpoint.Handler<ChatTurnReplied>(context => Heard(context.RequestId, "replied"));
            endpoint.Handler<ChatTurnRejected>(context => Heard(context.RequestId, context.Message.Code));
        });
        _address = (await handle.Ready).InputAddress;
        return handle;
    }

    /// <summary>
    /// The message to republish: a chat turn's envelope with this CLI's reply queue as its response address (and a
    /// request id, if it had none, to match the answer by); anything else unchanged, with no request id.
    /// </summary>
    public (ReadOnlyMemory<byte> Body, Guid? RequestId) Readdress(ReadOnlyMemory<byte> body)
    {
        JsonObject? envelope;
        try
        {
            envelope = JsonNode.Parse(body.Span) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return (body, null);
        }
        if (envelope?["message"] is null || _address is null)
        {
            return (body, null);
        }
        var requestId = Guid.TryParse(envelope["requestId"]?.GetValue<string>(), out var id) ? id : Guid.NewGuid();
        envelope["requestId"] = requestId.ToString();
        envelope["responseAddress"] = _address.ToString();
        lock (_sent)
        {
            _sent.Add(requestId);
        }
        return (System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString()), requestId);
    }

    /// <summary>The turn <see cref="Readdress"/> gave <paramref name="requestId"/> was not sent after all: no answer is waited for.</summary>
    public void Withdraw(Guid requestId)
    {
        lock (_sent)
        {
            _sent.Remove(requestId);
        }
    }

    /// <summary>Waits until every readdressed turn is answered, or <paramref name="timeout"/> passes.</summary>
    public async Task<Summary> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        CheckAll();
        try
        {
            await _all.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
        lock (_sent)
        {
            var answered = _sent.Where(_answers.ContainsKey).Select(id => _answers[id]).ToList();
            return new Summary(
                answered.Count(a => a == "replied"),
                answered.Where(a => a != "replied").GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count()),
                _sent.Count - answered.Count);
        }
    }

    private Task Heard(Guid? requestId, string answer)
    {
        if (requestId is { } id)
        {
            _answers[id] = answer;
            CheckAll();
        }
        return Task.CompletedTask;
    }

    private void CheckAll()
    {
        lock (_sent)
        {
            if (_sent.All(_answers.ContainsKey))
            {
                _all.TrySetResult();
            }
        }
    }

    /// <param name="Refused">Rejection codes and how many turns each refused.</param>
    /// <param name="Unanswered">Turns the worker had not answered when the wait ended.</param>
    public sealed record Summary(int Replied, Dictionary<string, int> Refused, int Unanswered)
    {
        public override string ToString()
        {
            var parts = new List<string> { $"{Replied} replied" };
            parts.AddRange(Refused.OrderBy(r => r.Key).Select(r => r.Key == "session_erased"
                ? $"{r.Value} refused as session_erased (their sessions were erased after they were sent: nothing of them was kept)"
                : $"{r.Value} refused as {r.Key}"));
            if (Unanswered > 0)
            {
                parts.Add($"{Unanswered} not answered yet (see the worker's log; a turn that fails again returns to the _error queue)");
            }
            return $"The worker answered the turns: {string.Join(", ", parts)}.";
        }
    }
}
