using SkillForge.Agent.Context;

namespace SkillForge.Agent;

/// <summary>One turn as the worker hands it over.</summary>
/// <param name="UserText">What the user wrote this turn.</param>
/// <param name="Context">The session's context before this turn (<see cref="SkillContext.New"/> for a new session).</param>
/// <param name="Window">The last N stored messages before this turn, oldest first; the agent never sees more.</param>
/// <param name="ExistingSkills">The tenant's completed skills, passed while the context is idle; may be empty.</param>
/// <param name="MayCallModel">False when this turn has used up its model calls: the offline interview answers instead.</param>
public sealed record AgentTurnInput(
    string UserText,
    SkillContext Context,
    IReadOnlyList<ConversationMessage> Window,
    IReadOnlyList<ExistingSkill> ExistingSkills,
    bool MayCallModel = true);
