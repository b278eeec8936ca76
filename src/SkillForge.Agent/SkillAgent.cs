using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;
using SkillForge.Agent.States;

namespace SkillForge.Agent;

/// <summary>
/// The agent the worker calls: handles what is the same for every responder — a completed session, "start over",
/// and recovery — and checks that whatever the responder did is a walk through <see cref="AgentTransitions"/>.
/// Only the caller's own cancellation escapes; any other failure becomes a <c>gathering_details</c> turn that keeps
/// everything.
/// </summary>
public sealed class SkillAgent(ISkillResponder responder, ILogger<SkillAgent>? logger = null) : ISkillAgent
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public ISkillResponder Responder => responder;

    public async Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        input = input with
        {
            UserText = input.UserText ?? "",
            Context = input.Context ?? SkillContext.New(),
            Window = input.Window ?? [],
            ExistingSkills = input.ExistingSkills ?? [],
        };
        var context = input.Context;
        if (AgentTransitions.IsTerminal(context.State))
        {
            return new AgentTurnResult(AgentReplies.AlreadyCompleted(context), context);
        }
        if (UserReplies.IsStartOver(input.UserText))
        {
            return StartOver(context);
        }
        try
        {
            var result = await responder.RespondAsync(input, cancellationToken).ConfigureAwait(false);
            EnsureLegal(context.State, result);
            if (TurnStorability.Problem(result) is { } problem)
            {
                throw new InvalidOperationException($"The responder's result cannot be stored: {problem}");
            }
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            AgentLog.TurnFailed(_logger, AgentStateNames.ToWire(context.State), e.GetType().Name, e);
            return TurnRecovery.Recover(input, e);
        }
    }

    /// <summary>A fresh context at idle in the same session; the history stays with the worker.</summary>
    private static AgentTurnResult StartOver(SkillContext context)
    {
        var turn = new ConversationTurn(context);
        if (context.State != AgentState.Idle)
        {
            turn.MoveTo(AgentState.Idle);
        }
        var fresh = SkillContext.New() with { AskedQuestions = [InterviewQuestions.Intent], AwaitingAnswerFor = SpecFields.Purpose };
        return new AgentTurnResult(AgentReplies.StartedOver, fresh) { Path = turn.Path };
    }

    /// <summary>Holds any responder, including ones written elsewhere, to the table and to giving a reply.</summary>
    private static void EnsureLegal(AgentState start, AgentTurnResult result)
    {
        if (result?.Context is null || string.IsNullOrWhiteSpace(result.Reply))
        {
            throw new InvalidOperationException("The responder returned no reply or no context.");
        }
        var path = result.Path.Count > 0 && result.Path[0] == start ? result.Path : [start, .. result.Path];
        if (path[^1] != result.Context.State)
        {
            path = [.. path, result.Context.State];
        }
        for (var i = 1; i < path.Count; i++)
        {
            if (path[i] != path[i - 1] && !AgentTransitions.IsAllowed(path[i - 1], path[i]))
            {
                throw new InvalidTransitionException(path[i - 1], path[i]);
            }
        }
    }
}
