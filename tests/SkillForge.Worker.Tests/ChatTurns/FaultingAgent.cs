using SkillForge.Agent;
using SkillForge.Agent.Interview;

namespace SkillForge.Worker.Tests.ChatTurns;

/// <summary>The offline agent, throwing <paramref name="fault"/> on its first <paramref name="failures"/> calls.</summary>
internal sealed class FaultingAgent(Exception fault, int failures) : ISkillAgent
{
    private readonly SkillAgent _inner = new(new InterviewResponder());
    private int _calls;

    public int Calls => _calls;

    public Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _calls) <= failures ? throw fault : _inner.RespondAsync(input, cancellationToken);
}
