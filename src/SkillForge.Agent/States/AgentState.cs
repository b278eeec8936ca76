namespace SkillForge.Agent.States;

/// <summary>The agent's states; on the wire as snake_case via <see cref="AgentStateNames"/>.</summary>
public enum AgentState
{
    Idle,
    IntentDetection,
    CheckingExisting,
    GatheringPurpose,
    GatheringDetails,
    ConfirmingSpec,
    Generating,
    Validating,
    FixingErrors,
    SelectingStorage,
    Saving,
    Completed,
    Error,
}
