using System.Text;
using SkillForge.Agent.Context;
using SkillForge.Agent.States;

namespace SkillForge.Agent.Tests;

/// <summary>
/// The one harness of this test project: holds a conversation with an agent the way the worker does — the context
/// stored as JSON between turns (round-tripped through the serializer), a sliding window of stored messages, and
/// the tenant's existing skills passed only while idle — and keeps a transcript for the test output.
/// </summary>
internal sealed class Conversation(ISkillAgent agent, IReadOnlyList<ExistingSkill>? existingSkills = null, int windowSize = 20)
{
    private readonly List<ConversationMessage> _history = [];
    private readonly List<AgentTurnResult> _turns = [];
    private readonly StringBuilder _transcript = new();

    public SkillContext Context { get; private set; } = SkillContext.New();

    public IReadOnlyList<AgentTurnResult> Turns => _turns;

    public int TurnCount => _turns.Count;

    public AgentTurnResult Last => _turns[^1];

    public static Conversation WithInterview(IReadOnlyList<ExistingSkill>? existingSkills = null) =>
        new(new SkillAgent(new SkillForge.Agent.Interview.InterviewResponder()), existingSkills);

    public async Task<AgentTurnResult> SayAsync(string text)
    {
        var window = _history.Skip(Math.Max(0, _history.Count - windowSize)).ToList();
        var existing = Context.State == AgentState.Idle ? existingSkills ?? [] : [];
        var result = await agent.RespondAsync(new AgentTurnInput(text, Context, window, existing), CancellationToken.None);
        Context = SkillContextSerializer.Deserialize(SkillContextSerializer.Serialize(result.Context));
        _history.Add(new ConversationMessage(ConversationMessage.User, text));
        _history.Add(new ConversationMessage(ConversationMessage.Assistant, result.Reply));
        _turns.Add(result);
        _transcript.Append("USER: ").Append(text).Append('\n')
            .Append("AGENT [").Append(string.Join(" -> ", result.Path.Select(AgentStateNames.ToWire))).Append("]: ")
            .Append(result.Reply).Append("\n\n");
        return result;
    }

    /// <summary>Says each line in turn, stopping early if the conversation completes.</summary>
    public async Task<Conversation> RunAsync(params string[] lines)
    {
        foreach (var line in lines)
        {
            await SayAsync(line);
            if (Last.IsCompleted)
            {
                break;
            }
        }
        return this;
    }

    public string Transcript => _transcript.ToString();
}
