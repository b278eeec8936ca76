namespace SkillForge.Agent.Context;

/// <summary>
/// Names of the spec fields the interview asks for, in the order it asks. Strings rather than an enum because they
/// are stored in the context: a name written by a newer version must not make an older one fail to read the row.
/// </summary>
public static class SpecFields
{
    public const string Purpose = "purpose";
    public const string Name = "name";
    public const string Description = "description";
    public const string WorkflowSteps = "workflow_steps";
    public const string Triggers = "triggers";
    public const string Examples = "examples";

    public static IReadOnlyList<string> InterviewOrder { get; } = [Purpose, Name, Description, WorkflowSteps, Triggers, Examples];

    public static bool HasValue(SkillContext context, string field) => field switch
    {
        Purpose => !string.IsNullOrWhiteSpace(context.Purpose),
        Name => !string.IsNullOrWhiteSpace(context.SkillName),
        Description => !string.IsNullOrWhiteSpace(context.Description),
        WorkflowSteps => context.WorkflowSteps.Count > 0,
        Triggers => context.Triggers.Count > 0,
        Examples => context.Examples.Count > 0,
        _ => true,
    };

    public static IReadOnlyList<string> Missing(SkillContext context) => [.. InterviewOrder.Where(f => !HasValue(context, f))];
}
