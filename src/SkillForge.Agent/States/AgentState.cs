namespace SkillForge.Agent;

/// <summary>The agent's states (DESIGN.md §5); on the wire as snake_case via <see cref="AgentStateNames"/>.</summary>
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
