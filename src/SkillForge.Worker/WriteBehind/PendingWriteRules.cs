using SkillForge.Agent.Context;
using SkillForge.Agent.States;
using SkillForge.Sessions.Storage;

namespace SkillForge.Worker.WriteBehind;

/// <summary>
/// What a queued write must be before it is applied as is: the state one of the agent's, the status agreeing with
/// it, a readable agent context in that state, and a time no later than now (plus the clock skew). The worker wrote
/// it, but it crossed the broker, and an operator can send it back by hand.
/// </summary>
internal static class PendingWriteRules
{
    /// <summary>What is wrong with <paramref name="turn"/>, or null when it holds together.</summary>
    public static string? Problem(TurnToAppend turn, DateTimeOffset now, TimeSpan skew)
    {
        if (!AgentStateNames.TryParse(turn.State, out var state) || !AgentStateNames.TryParse(turn.PreviousState, out _))
        {
            return "its state is not one of the agent's";
        }
        var expectedStatus = state == AgentState.Completed ? SessionStatus.Completed : SessionStatus.Active;
        if (turn.Status != expectedStatus)
        {
            return $"its status '{turn.Status}' does not go with its state '{turn.State}'";
        }
        if (turn.At > now + skew)
        {
            return "its time lies in the future";
        }
        try
        {
            if (SkillContextSerializer.Deserialize(turn.ContextJson).State != state)
            {
                return "its context is in another state than the turn";
            }
        }
        catch (SkillContextFormatException)
        {
            return "its context is not a readable agent context";
        }
        return null;
    }
}
