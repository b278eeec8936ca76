using SkillForge.Agent.Interview;
using SkillForge.Agent.Llm;
using SkillForge.Agent.States;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent;

/// <summary>
/// A failed turn (responder exception, LLM timeout, unusable model output) moves the session
/// to <c>gathering_details</c>, keeps everything gathered — plus whatever the offline extractor can read from this
/// message — and answers with an apology and a next question, so the turn is saved like any other.
/// </summary>
internal static class TurnRecovery
{
    public static AgentTurnResult Recover(AgentTurnInput input, Exception failure)
    {
        var apology = failure is LlmResponseException
            ? "I'm sorry — the language model didn't give me a usable answer just now."
            : "I'm sorry — something went wrong on my side while working on that.";
        try
        {
            var turn = new ConversationTurn(input.Context);
            if (turn.State != GatheringDetails)
            {
                turn.MoveTo(GatheringDetails);
            }
            var before = turn.Context;
            var facts = SpecExtractor.Extract(input.UserText, before.AwaitingAnswerFor, wantsPurpose: string.IsNullOrWhiteSpace(before.Purpose));
            facts.Capabilities.AddRange(facts.Unplaced);
            turn.Update(facts.ApplyTo);
            var kept = facts.HasSpecFacts
                ? $"Nothing is lost: I've kept everything so far, including what you just said. {AgentReplies.Acknowledge(before, turn.Context)}"
                : "Nothing is lost: I've kept everything you've told me so far.";
            return turn.Finish(InterviewPlanner.Continue(turn, AgentReplies.Join(apology, kept), mayConfirm: false));
        }
#pragma warning disable CA1031 // The recovery path is the last line: it must answer, whatever broke.
        catch (Exception)
#pragma warning restore CA1031
        {
            var context = input.Context with { State = GatheringDetails };
            return new AgentTurnResult($"{apology} Nothing is lost: I've kept everything you've told me. Could you tell me a bit more about the skill you want?", context)
            {
                Path = input.Context.State == GatheringDetails ? [GatheringDetails] : [input.Context.State, GatheringDetails],
            };
        }
    }
}
