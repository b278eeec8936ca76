using SkillForge.Agent.Context;
using SkillForge.Agent.States;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.Interview;

/// <summary>
/// Decides what the interview does next from <c>gathering_details</c>: summarise for confirmation once the spec is
/// complete, else ask for the first missing field not asked yet, else fill gaps by inference (at most two rounds),
/// else ask the second phrasing, else say plainly what is still needed. Never repeats a question.
/// </summary>
internal static class InterviewPlanner
{
    public const int MaxInferenceAttempts = 2;

    /// <param name="lead">What to say before the question (acknowledgements, apologies).</param>
    /// <param name="mayConfirm">False after a failure: stay in <c>gathering_details</c> and let the user lead.</param>
    public static string Continue(ConversationTurn turn, string? lead, bool mayConfirm = true)
    {
        var missing = SpecFields.Missing(turn.Context);
        if (missing.Count == 0)
        {
            return mayConfirm
                ? Confirm(turn, lead)
                : AgentReplies.Join(lead, "I have everything I need for the skill — say **yes** and I'll show you the summary to confirm.");
        }
        foreach (var field in missing)
        {
            if (InterviewQuestions.NextFor(field, turn.Context.AskedQuestions, primaryOnly: true) is { } question)
            {
                return Ask(turn, field, question, lead);
            }
        }
        if (mayConfirm && turn.Context.InferenceAttempts < MaxInferenceAttempts)
        {
            turn.Update(c => SpecInference.Fill(c with { InferenceAttempts = c.InferenceAttempts + 1 }, missing));
            missing = SpecFields.Missing(turn.Context);
            if (missing.Count == 0)
            {
                return Confirm(turn, AgentReplies.Join(lead, "I've filled in the rest with my best guesses."));
            }
        }
        foreach (var field in missing)
        {
            if (InterviewQuestions.NextFor(field, turn.Context.AskedQuestions, primaryOnly: false) is { } question)
            {
                return Ask(turn, field, question, lead);
            }
        }
        turn.Update(c => c with { AwaitingAnswerFor = missing[0] });
        return AgentReplies.Join(lead, missing[0] == SpecFields.Purpose
            ? "I still need to know what the skill is for before I can write it — tell me in a sentence what it should do, or say **start over**."
            : $"I still need the {Label(missing[0])} — tell me whenever you're ready, or say **you decide** and I'll suggest something.");
    }

    /// <summary>Asks for the purpose while <c>gathering_purpose</c>.</summary>
    public static string AskPurpose(ConversationTurn turn, string? lead)
    {
        var question = InterviewQuestions.NextFor(SpecFields.Purpose, turn.Context.AskedQuestions, primaryOnly: false);
        if (question is null)
        {
            turn.Update(c => c with { AwaitingAnswerFor = SpecFields.Purpose });
            return AgentReplies.Join(lead, "Tell me in a sentence what the skill should do — for example \"summarise pull requests for reviewers\".");
        }
        return Ask(turn, SpecFields.Purpose, question, lead);
    }

    private static string Confirm(ConversationTurn turn, string? lead)
    {
        turn.Update(c => c with { AwaitingAnswerFor = null });
        turn.MoveTo(ConfirmingSpec);
        return AgentReplies.Paragraphs(lead, AgentReplies.Summary(turn.Context));
    }

    private static string Ask(ConversationTurn turn, string field, string question, string? lead)
    {
        var firstDetail = field != SpecFields.Purpose && !turn.Context.AskedQuestions.Any(IsDetailQuestion);
        turn.Update(c => c with { AskedQuestions = [.. c.AskedQuestions, question], AwaitingAnswerFor = field });
        return AgentReplies.Join(lead, question, InterviewQuestions.Hint(turn.Context, field),
            firstDetail ? "(On any question you can say **you decide** and I'll suggest something.)" : null);
    }

    private static bool IsDetailQuestion(string asked) =>
        SpecFields.InterviewOrder.Where(f => f != SpecFields.Purpose)
            .Any(f => asked == InterviewQuestions.Primary(f) || asked == InterviewQuestions.Alternate(f));

    private static string Label(string field) => field switch
    {
        SpecFields.Name => "name",
        SpecFields.Description => "one-line description",
        SpecFields.WorkflowSteps => "workflow steps",
        SpecFields.Triggers => "situations that should trigger it",
        SpecFields.Examples => "an example request",
        _ => field,
    };
}
