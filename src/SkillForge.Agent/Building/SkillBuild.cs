using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.SkillMd;
using SkillForge.Agent.States;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.Building;

/// <summary>
/// The automatic part of a turn after the user confirms the spec: generating → validating → (fixing_errors →
/// validating, at most <see cref="MaxFixAttempts"/> times) → selecting_storage, or error when fixes run out. Shared by
/// both responders: the SKILL.md is always written and judged by code, whoever ran the interview.
/// </summary>
internal static class SkillBuild
{
    public const int MaxFixAttempts = 3;

    /// <summary>Runs from <c>generating</c>, or resumes from <c>validating</c> / <c>fixing_errors</c> left by an earlier writer.</summary>
    public static string Run(ConversationTurn turn)
    {
        var fixes = new List<string>();
        switch (turn.State)
        {
            case Generating:
                turn.Update(c => Write(c with { ValidationAttempts = 0, ValidationErrors = [] }));
                turn.MoveTo(Validating);
                break;
            case FixingErrors:
                turn.Update(c => Write(SkillFixer.Fix(c, Math.Max(1, c.ValidationAttempts), fixes)));
                turn.MoveTo(Validating);
                break;
            case Validating when turn.Context.GeneratedSkillMd is null:
                turn.Update(Write);
                break;
        }
        while (true)
        {
            var validation = SkillMdValidator.Validate(turn.Context.GeneratedSkillMd);
            turn.Update(c => c with { ValidationAttempts = c.ValidationAttempts + 1, ValidationErrors = validation.Errors });
            if (validation.IsValid)
            {
                turn.MoveTo(SelectingStorage);
                turn.Update(c => c with { StorageLayer = c.StorageLayer ?? StorageLayers.Organization });
                return AgentReplies.Ready(turn.Context, fixes);
            }
            // Validations so far = fix attempts + 1: the first check of a fresh SKILL.md is not a retry.
            if (turn.Context.ValidationAttempts > MaxFixAttempts)
            {
                turn.MoveTo(Error);
                return AgentReplies.Failed(turn.Context);
            }
            turn.MoveTo(FixingErrors);
            turn.Update(c => Write(SkillFixer.Fix(c, c.ValidationAttempts, fixes)));
            turn.MoveTo(Validating);
        }
    }

    private static SkillContext Write(SkillContext c) => c with
    {
        GeneratedSkillMd = SkillMdGenerator.Generate(c),
        GeneratedResources = SkillMdGenerator.Resources(c),
    };
}
