namespace SkillForge.Agent;

/// <summary>
/// The skill-creation agent as the worker sees it: one user message in, one reply and the next context out.
/// Never throws for a bad turn (any failure lands in <c>gathering_details</c> with everything kept);
/// only <see cref="OperationCanceledException"/> for the caller's own token escapes.
/// </summary>
public interface ISkillAgent
{
    Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken);
}
