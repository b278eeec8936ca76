using SkillForge.Agent;
using SkillForge.Agent.Interview;

namespace SkillForge.Worker.Tests.Observability;

/// <summary>
/// The offline agent, with <paramref name="rival"/> run once while it computes the turn whose text is
/// <paramref name="trigger"/>: another writer takes the session's version, and the worker's append loses the race as
/// it would against a second instance.
/// </summary>
internal sealed class RivalWriterAgent(string trigger, Func<Task> rival) : ISkillAgent
{
    private readonly SkillAgent _inner = new(new InterviewResponder());
    private int _raced;

    public async Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken)
    {
        if (input.UserText == trigger && Interlocked.Exchange(ref _raced, 1) == 0)
        {
            await rival();
        }
        return await _inner.RespondAsync(input, cancellationToken);
    }
}
