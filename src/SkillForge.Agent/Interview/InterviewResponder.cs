using SkillForge.Agent.Building;
using SkillForge.Agent.Context;
using SkillForge.Agent.States;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.Interview;

/// <summary>
/// The deterministic, offline responder: interviews the user for purpose, name, description, steps,
/// triggers and examples, offers a matching existing skill, summarises for confirmation, writes and validates the
/// SKILL.md and completes on the user's confirmation. Same input, same output, no network.
/// </summary>
public sealed class InterviewResponder : ISkillResponder
{
    public Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        var turn = new ConversationTurn(input.Context);
        var text = input.UserText ?? "";
        var reply = turn.State switch
        {
            Idle or IntentDetection => Open(turn, text, input.ExistingSkills ?? []),
            CheckingExisting => AnswerExistingOffer(turn, text),
            GatheringPurpose or GatheringDetails or Error => Gather(turn, text),
            ConfirmingSpec => AnswerConfirmation(turn, text),
            SelectingStorage => AnswerStorage(turn, text),
            // A context stored mid-build (by an older or foreign writer) finishes the build rather than getting stuck.
            Generating or Validating or FixingErrors => SkillBuild.Run(turn),
            Saving => SkillCompletion.Save(turn, layer: null),
            _ => AgentReplies.AlreadyCompleted(turn.Context),
        };
        return Task.FromResult(turn.Finish(reply));
    }

    private static string Open(ConversationTurn turn, string text, IReadOnlyList<ExistingSkill> existing)
    {
        var before = turn.Context;
        var facts = SpecExtractor.Extract(text, awaiting: null, wantsPurpose: true);
        var noRequest = !facts.HasSpecFacts && (UserReplies.IsSmallTalk(text) || !UserReplies.MentionsSkillCreation(text) && facts.Unplaced.Count == 0);
        if (noRequest)
        {
            var first = turn.State == Idle;
            if (first)
            {
                turn.MoveTo(IntentDetection);
            }
            var asked = turn.Context.AskedQuestions;
            var question = first && !QuestionOverlap.WasAsked(InterviewQuestions.Intent, asked)
                ? InterviewQuestions.Intent
                : InterviewQuestions.NextFor(SpecFields.Purpose, asked, primaryOnly: false);
            turn.Update(c => c with { AskedQuestions = question is null ? c.AskedQuestions : [.. c.AskedQuestions, question], AwaitingAnswerFor = SpecFields.Purpose });
            return AgentReplies.Join(first ? AgentReplies.Welcome : "No rush!", question ?? "Tell me in a sentence what the skill should do.",
                "For example: \"a skill that summarises pull requests for reviewers\".");
        }
        facts.Capabilities.AddRange(facts.Unplaced);
        turn.Update(facts.ApplyTo);
        if (ExistingSkillMatcher.Find(text, existing) is { } match)
        {
            turn.Update(c => c with { OfferedSkill = match });
            turn.MoveTo(CheckingExisting);
            return AgentReplies.ExistingOffer(match);
        }
        turn.MoveTo(GatheringPurpose);
        return ContinueFromPurpose(turn, AgentReplies.Acknowledge(before, turn.Context), "Happy to help you build a skill!");
    }

    private static string AnswerExistingOffer(ConversationTurn turn, string text)
    {
        var before = turn.Context;
        var wantsNew = UserReplies.IsNegative(text) || Words.Tokens(text).Any(w => w is "new" or "another" or "different" or "own" or "fresh" or "scratch");
        if (!wantsNew && before.OfferedSkill is { } offered && UserReplies.IsAffirmative(text))
        {
            return SkillCompletion.TakeExisting(turn, offered);
        }
        var facts = SpecExtractor.Extract(text, awaiting: null, wantsPurpose: before.Purpose is null);
        if (!wantsNew && !facts.HasSpecFacts && before.OfferedSkill is not null)
        {
            return AgentReplies.ExistingUnclear(before.OfferedSkill);
        }
        turn.Update(c => facts.ApplyTo(c) with { OfferedSkill = null });
        turn.MoveTo(GatheringPurpose);
        return ContinueFromPurpose(turn, AgentReplies.Join("No problem — let's build a new one.", AgentReplies.Acknowledge(before, turn.Context)), null);
    }

    private static string Gather(ConversationTurn turn, string text)
    {
        if (turn.State == Error)
        {
            turn.MoveTo(GatheringDetails);
        }
        var before = turn.Context;
        var facts = SpecExtractor.Extract(text, before.AwaitingAnswerFor, wantsPurpose: string.IsNullOrWhiteSpace(before.Purpose));
        facts.Capabilities.AddRange(facts.Unplaced);
        turn.Update(facts.ApplyTo);
        if (facts.LeftToAgent.Count > 0)
        {
            turn.Update(c => SpecInference.Fill(c, facts.LeftToAgent));
        }
        var lead = AgentReplies.Join(
            facts.LeftToAgent.Count > 0 ? "No problem, I'll suggest something." : null,
            AgentReplies.Acknowledge(before, turn.Context));
        return turn.State == GatheringPurpose
            ? ContinueFromPurpose(turn, lead, null)
            : InterviewPlanner.Continue(turn, lead);
    }

    private static string AnswerConfirmation(ConversationTurn turn, string text)
    {
        var facts = SpecExtractor.Extract(text, awaiting: null, wantsPurpose: false);
        if (!facts.HasSpecFacts && UserReplies.IsAffirmative(text))
        {
            turn.MoveTo(Generating);
            return SkillBuild.Run(turn);
        }
        var before = turn.Context;
        turn.MoveTo(GatheringDetails);
        turn.Update(c => facts.ApplyTo(c) with { AwaitingAnswerFor = null });
        if (!facts.HasSpecFacts)
        {
            return AgentReplies.Join(facts.Unplaced.Count > 0 ? "I'm not sure which part that changes." : "No problem.",
                "What would you like to change? You can say things like \"Name it …\", \"Description: …\", \"Steps: a, b, c\" or \"Use it when …\".");
        }
        return InterviewPlanner.Continue(turn, AgentReplies.Join("Updated!", AgentReplies.Acknowledge(before, turn.Context)));
    }

    private static string AnswerStorage(ConversationTurn turn, string text)
    {
        var facts = SpecExtractor.Extract(text, awaiting: null, wantsPurpose: false);
        if (facts.HasSpecFacts || !SkillCompletion.HasValidSkillMd(turn.Context))
        {
            var before = turn.Context;
            turn.MoveTo(GatheringDetails);
            turn.Update(facts.ApplyTo);
            return InterviewPlanner.Continue(turn, AgentReplies.Join("Sure — let's update the skill first.", AgentReplies.Acknowledge(before, turn.Context)));
        }
        var layer = facts.StorageLayer ?? StorageLayers.Find(text);
        if (layer is not null || UserReplies.IsAffirmative(text))
        {
            return SkillCompletion.Save(turn, layer);
        }
        var current = turn.Context.StorageLayer ?? StorageLayers.Organization;
        return UserReplies.IsNegative(text)
            ? "No problem. Where should it go instead: **personal** (just you), **project** or **organization** (everyone in your workspace)?"
            : $"Shall I save it to **{current}**? Say **yes**, or name another layer: personal, project or organization.";
    }

    /// <summary>From gathering_purpose: on to the details once the purpose is known, else ask for it.</summary>
    private static string ContinueFromPurpose(ConversationTurn turn, string? lead, string? leadWhenAsking)
    {
        if (!SpecFields.HasValue(turn.Context, SpecFields.Purpose))
        {
            return InterviewPlanner.AskPurpose(turn, AgentReplies.Join(lead, leadWhenAsking));
        }
        turn.MoveTo(GatheringDetails);
        return InterviewPlanner.Continue(turn, lead);
    }
}
