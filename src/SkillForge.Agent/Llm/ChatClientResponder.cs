using Microsoft.Extensions.AI;
using SkillForge.Agent.Building;
using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.States;
using static SkillForge.Agent.States.AgentState;

namespace SkillForge.Agent.Llm;

/// <summary>
/// The responder for a real language model behind <see cref="IChatClient"/>. The model sees the system prompt, a
/// summary of the context and only the last <see cref="AgentLlmOptions.WindowMessages"/> messages, and answers with
/// JSON (reply, fields, suggested next state). Its suggestion is taken only when the transition table and the spec
/// allow it; otherwise the offline interview decides. SKILL.md writing, validation, fixing, existing-skill matching
/// and completion stay in code. A failed or unusable call throws <see cref="LlmResponseException"/>, which
/// <see cref="SkillAgent"/> turns into the recovery path.
/// </summary>
public sealed class ChatClientResponder(IChatClient chatClient, AgentLlmOptions options) : ISkillResponder
{
    private readonly InterviewResponder _interview = new();

    public async Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = input.Context.State;
        var deterministic = !input.MayCallModel
            || state is Generating or Validating or FixingErrors or Saving
            || state is Idle or IntentDetection && ExistingSkillMatcher.Find(input.UserText, input.ExistingSkills) is not null;
        if (deterministic)
        {
            return await _interview.RespondAsync(input, cancellationToken).ConfigureAwait(false);
        }

        var answer = LlmAnswerReader.Read(await AskAsync(input, cancellationToken).ConfigureAwait(false));
        var turn = new ConversationTurn(input.Context);
        turn.Update(c => LlmFieldMerge.Apply(c, answer));
        // No suggestion means "stay"; a name that is not a state is a suggestion the table cannot allow.
        AgentState? suggested = string.IsNullOrWhiteSpace(answer.NextState) ? turn.State
            : AgentStateNames.TryParse(answer.NextState.Trim(), out var next) ? next : null;
        return turn.Finish(Advance(turn, suggested, answer.Reply!));
    }

    /// <summary>
    /// The messages sent for one turn: the fixed system prompt, the context summary, the window's tail, the user's text.
    /// Only the fixed prompt is a system message: the summary carries what users and the model wrote (and other users'
    /// skills), so it goes as user-role data marked as such, with no more authority than the user's own words.
    /// </summary>
    internal IReadOnlyList<ChatMessage> BuildMessages(AgentTurnInput input)
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, LlmPrompt.System),
            new(ChatRole.User, LlmPrompt.UntrustedData(LlmPrompt.ContextSummary(input.Context))),
        ];
        messages.AddRange(input.Window.TakeLast(options.WindowMessages).Select(m =>
            new ChatMessage(m.Role == ConversationMessage.Assistant ? ChatRole.Assistant : ChatRole.User, m.Content)));
        messages.Add(new ChatMessage(ChatRole.User, input.UserText));
        return messages;
    }

    private async Task<string?> AskAsync(AgentTurnInput input, CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.Json,
            Temperature = options.Temperature,
            MaxOutputTokens = options.MaxOutputTokens,
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            // WaitAsync as well as the token: a client that ignores cancellation still cannot hold the turn past the timeout.
            var response = await chatClient.GetResponseAsync(BuildMessages(input), chatOptions, timeout.Token)
                .WaitAsync(options.Timeout, cancellationToken).ConfigureAwait(false);
            return response.Text;
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new LlmResponseException($"The language model did not answer within {options.Timeout.TotalSeconds:0.###} s.", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new LlmResponseException($"The language model call failed ({e.GetType().Name}): {e.Message}", e);
        }
    }

    private static string Advance(ConversationTurn turn, AgentState? suggested, string reply)
    {
        var c = turn.Context;
        switch (turn.State, suggested)
        {
            case (_, null):
                return Fallback(turn, reply);
            case var (from, to) when from == to:
                return reply;
            case (ConfirmingSpec, Generating) when SpecFields.Missing(c).Count == 0:
                turn.MoveTo(Generating);
                return AgentReplies.Paragraphs(reply, SkillBuild.Run(turn));
            case (SelectingStorage, Saving or Completed) when SkillCompletion.HasValidSkillMd(c):
                SkillCompletion.Save(turn, c.StorageLayer);
                return reply;
            case (CheckingExisting, Completed) when c.OfferedSkill is { } offered:
                SkillCompletion.TakeExisting(turn, offered);
                return reply;
            case (Idle, IntentDetection):
            case (CheckingExisting, GatheringPurpose):
            case (ConfirmingSpec or SelectingStorage or Error, GatheringDetails):
                turn.MoveTo(suggested.Value);
                return reply;
            case (Idle or IntentDetection or GatheringPurpose or GatheringDetails, GatheringPurpose or GatheringDetails or ConfirmingSpec):
                return WalkInterview(turn, suggested.Value, reply);
            default:
                return Fallback(turn, reply);
        }
    }

    /// <summary>
    /// idle → gathering_purpose → gathering_details → confirming_spec, as far as the model's target and the spec allow:
    /// a user who gives everything in the first message may be asked to confirm at once.
    /// </summary>
    private static string WalkInterview(ConversationTurn turn, AgentState target, string reply)
    {
        if (turn.State is Idle or IntentDetection)
        {
            turn.MoveTo(GatheringPurpose);
        }
        if (target == GatheringPurpose || !SpecFields.HasValue(turn.Context, SpecFields.Purpose))
        {
            return reply;
        }
        if (turn.State == GatheringPurpose)
        {
            turn.MoveTo(GatheringDetails);
        }
        if (target == GatheringDetails)
        {
            return reply;
        }
        if (SpecFields.Missing(turn.Context).Count > 0)
        {
            // The model wanted to confirm, but something is missing: ask for it instead of summarising a gap.
            return InterviewPlanner.Continue(turn, lead: null);
        }
        turn.MoveTo(ConfirmingSpec);
        return AgentReplies.Paragraphs(reply, AgentReplies.Summary(turn.Context));
    }

    /// <summary>The model proposed a move the table or the spec does not allow: in the interview the offline planner decides.</summary>
    private static string Fallback(ConversationTurn turn, string reply)
    {
        if (turn.State == Error)
        {
            turn.MoveTo(GatheringDetails);
        }
        return turn.State == GatheringDetails ? InterviewPlanner.Continue(turn, lead: null) : reply;
    }
}
