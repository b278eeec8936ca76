using SkillForge.Agent.Context;
using SkillForge.Agent.States;

namespace SkillForge.Agent.Tests;

/// <summary>Ready-made contexts for tests that start mid-conversation.</summary>
internal static class Specs
{
    public static SkillContext Complete(AgentState state = AgentState.GatheringDetails) => SkillContext.New() with
    {
        State = state,
        SkillName = "pr-digest",
        Description = "Summarises a pull request into a short digest for reviewers.",
        Purpose = "summarise pull requests for reviewers",
        WorkflowSteps = ["Fetch the diff", "Group the changes by area", "Write a five-line summary"],
        Triggers = ["someone asks what a PR changes"],
        Examples = ["What does PR #42 change?"],
    };

    public static SkillContext Generated(AgentState state = AgentState.SelectingStorage)
    {
        var spec = Complete(state);
        return spec with { GeneratedSkillMd = SkillForge.Agent.SkillMd.SkillMdGenerator.Generate(spec), StorageLayer = StorageLayers.Organization };
    }

    /// <summary>A spec the fixer cannot repair: no usable name and nothing to derive one from.</summary>
    public static SkillContext Unfixable(AgentState state = AgentState.ConfirmingSpec) => Complete(state) with
    {
        SkillName = "1234",
        Purpose = null,
        Description = null,
    };

    public static AgentTurnInput Input(string text, SkillContext context, IReadOnlyList<ExistingSkill>? existing = null) =>
        new(text, context, [], existing ?? []);
}
