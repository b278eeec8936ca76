using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.SkillMd;
using SkillForge.Agent.States;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.Building;

/// <summary>The two ways a conversation completes: saving the new skill, or taking an existing one instead.</summary>
internal static class SkillCompletion
{
    /// <summary>
    /// selecting_storage → saving → completed. The agent knows no storage: "saving" means the skill and its layer are
    /// final in the context, and the worker stores that context with the session in the same transaction as the turn.
    /// </summary>
    public static string Save(ConversationTurn turn, string? layer)
    {
        turn.Update(c => c with { StorageLayer = layer ?? c.StorageLayer ?? StorageLayers.Organization, AwaitingAnswerFor = null });
        turn.MoveTo(Saving);
        turn.MoveTo(Completed);
        return AgentReplies.Saved(turn.Context);
    }

    public static bool HasValidSkillMd(SkillContext c) => SkillMdValidator.Validate(c.GeneratedSkillMd).IsValid;

    /// <summary>checking_existing → completed: the session records the existing skill's name so history shows it.</summary>
    public static string TakeExisting(ConversationTurn turn, ExistingSkill skill)
    {
        turn.Update(c => c with { SkillName = skill.Name, Description = skill.Description, AwaitingAnswerFor = null });
        turn.MoveTo(Completed);
        return AgentReplies.TookExisting(turn.Context);
    }
}
