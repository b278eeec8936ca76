using System.Text;
using Microsoft.Extensions.Options;
using SkillForge.Agent;
using SkillForge.Agent.Context;
using SkillForge.Agent.States;
using SkillForge.Contracts;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.Hosting;
using SkillForge.Worker.Observability;
using SkillForge.Worker.Resilience;

namespace SkillForge.Worker.ChatTurns;

/// <summary>
/// Runs the agent on a turn and says what to append: the agent works on its own context type, the store on an
/// opaque JSON document, and this is the one place that translates between the two.
/// </summary>
public sealed class AgentTurn(
    ISkillAgent agent,
    SessionStore store,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider clock,
    ModelCallLedger modelCalls,
    SkillForgeMetrics metrics)
{
    private const int ExistingSkillsOffered = 50;

    private readonly WorkerOptions _worker = workerOptions.Value;

    /// <exception cref="CorruptSessionException">The stored context cannot be read.</exception>
    public async Task<TurnToAppend> ComputeAsync(ProcessChatTurn turn, LoadedSession loaded, CancellationToken cancellationToken)
    {
        var session = loaded.Session;
        var context = session is null ? SkillContext.New() : ReadContext(session);
        var window = session?.RecentMessages.Select(m => new ConversationMessage(m.Role, m.Content)).ToList() ?? [];
        var existing = context.State == AgentState.Idle ? await ExistingSkillsAsync(turn, loaded, cancellationToken) : [];
        AgentTurnResult result;
        using (var span = TurnSpans.Start("agent", turn.TenantId, turn.SessionId, turn.TurnId))
        {
            try
            {
                result = await agent.RespondAsync(new AgentTurnInput(turn.Text, context, window, existing, modelCalls.TryTake(turn.TurnId)), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                span.Fail(e);
                throw;
            }
        }

        var contextJson = SkillContextSerializer.Serialize(result.Context);
        metrics.ContextSize(Encoding.UTF8.GetByteCount(contextJson));
        return new TurnToAppend
        {
            Key = new SessionKey(turn.TenantId, turn.SessionId),
            TurnId = turn.TurnId,
            ExpectedVersion = session?.Version ?? 0,
            UserText = turn.Text,
            Reply = result.Reply,
            PreviousState = session?.State ?? AgentStateNames.ToWire(AgentState.Idle),
            State = AgentStateNames.ToWire(result.Context.State),
            Status = result.IsCompleted ? SessionStatus.Completed : SessionStatus.Active,
            SkillName = result.Context.SkillName,
            UserId = turn.UserId,
            SkillDescription = result.IsCompleted ? result.Context.Description : null,
            SkillLayer = result.IsCompleted ? result.Context.StorageLayer : null,
            ContextJson = contextJson,
            At = clock.GetUtcNow(),
        };
    }

    /// <summary>
    /// The tenant's finished skills, for a conversation still deciding what to build. A cached session goes on
    /// without them while PostgreSQL is down (the agent then simply does not suggest reusing one).
    /// </summary>
    private async Task<IReadOnlyList<ExistingSkill>> ExistingSkillsAsync(ProcessChatTurn turn, LoadedSession loaded, CancellationToken cancellationToken)
    {
        try
        {
            var skills = await store.ListCompletedSkillsAsync(turn.TenantId, ExistingSkillsOffered, cancellationToken);
            return skills.Where(s => MayBeOffered(s, turn.UserId)).Select(s => new ExistingSkill(s.Name, s.Description)).ToList();
        }
        catch (Exception e) when (_worker.WriteBehind && loaded.FromCache && StoreOutage.IsUnavailable(e))
        {
            return [];
        }
    }

    /// <summary>
    /// Organization and project skills are everyone's in the tenant; a personal one only its maker's. A skill whose
    /// layer was not recorded (completed before it was) is offered to no one: it may be somebody's personal one.
    /// </summary>
    private static bool MayBeOffered(CompletedSkill skill, string? userId) => skill.Layer switch
    {
        StorageLayers.Organization or StorageLayers.Project => true,
        StorageLayers.Personal => skill.Owner is not null && skill.Owner == userId,
        _ => false,
    };

    private static SkillContext ReadContext(StoredSession session)
    {
        try
        {
            return SkillContextSerializer.Deserialize(session.ContextJson);
        }
        catch (SkillContextFormatException e)
        {
            throw new CorruptSessionException(session.Key, e.Message, e);
        }
    }
}
