namespace SkillForge.Agent;

/// <summary>
/// Produces one turn's reply and next context. A responder may throw: <see cref="SkillAgent"/> wraps it and turns
/// any failure into the recovery path, so responders stay free of defensive code.
/// </summary>
public interface ISkillResponder
{
    Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken);
}
