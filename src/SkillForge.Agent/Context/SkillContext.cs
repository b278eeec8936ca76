using System.Text.Json;
using System.Text.Json.Serialization;
using SkillForge.Agent.States;

namespace SkillForge.Agent.Context;

/// <summary>
/// Everything the agent knows about the skill being written. Stored by the worker as a jsonb document
/// through <see cref="SkillContextSerializer"/>; the messages themselves are not in it. Immutable: a turn produces a
/// new context with <c>with</c>, so the worker's copy of the previous one never changes under it.
/// </summary>
public sealed record SkillContext
{
    /// <summary>Bumped when a field changes meaning; new optional fields need no bump (they default when missing).</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    [JsonConverter(typeof(AgentStateJsonConverter))]
    public AgentState State { get; init; } = AgentState.Idle;

    /// <summary>Kebab-case, 1–64 characters, starting with a letter (see <see cref="SkillMd.SkillNames"/>).</summary>
    public string? SkillName { get; init; }

    /// <summary>1–1024 characters; the frontmatter description an agent reads to decide when to load the skill.</summary>
    public string? Description { get; init; }

    public string? Purpose { get; init; }
    public IReadOnlyList<string> Capabilities { get; init; } = [];
    public IReadOnlyList<string> Examples { get; init; } = [];
    public IReadOnlyList<string> WorkflowSteps { get; init; } = [];

    /// <summary>Situations that should make an agent use the skill, without a leading "when" ("someone pastes a PR link").</summary>
    public IReadOnlyList<string> Triggers { get; init; } = [];

    public IReadOnlyList<string> ReferenceTopics { get; init; } = [];
    public IReadOnlyList<string> ScriptsNeeded { get; init; } = [];
    public IReadOnlyList<string> AllowedTools { get; init; } = [];

    /// <summary>One of <see cref="StorageLayers"/>; chosen while <c>selecting_storage</c>.</summary>
    public string? StorageLayer { get; init; }

    public string? GeneratedSkillMd { get; init; }
    public IReadOnlyList<GeneratedResource> GeneratedResources { get; init; } = [];

    /// <summary>Validations run for the current SKILL.md; reset when generation starts again.</summary>
    public int ValidationAttempts { get; init; }

    public IReadOnlyList<string> ValidationErrors { get; init; } = [];

    /// <summary>Questions already put to the user; one whose words overlap more than half is not asked again.</summary>
    public IReadOnlyList<string> AskedQuestions { get; init; } = [];

    /// <summary>Rounds in which the agent filled unanswered fields itself; at most two.</summary>
    public int InferenceAttempts { get; init; }

    /// <summary>The <see cref="SpecFields"/> whose values the agent suggested rather than the user, so the summary can say so.</summary>
    public IReadOnlyList<string> InferredFields { get; init; } = [];

    /// <summary>The <see cref="SpecFields"/> name the last question asked for, so a bare answer ("pr-digest") lands in the right place.</summary>
    public string? AwaitingAnswerFor { get; init; }

    /// <summary>The tenant's existing skill offered while <c>checking_existing</c>.</summary>
    public ExistingSkill? OfferedSkill { get; init; }

    /// <summary>
    /// Fields written by a newer version of the agent, kept untouched on round trip (forward compatibility). Filled
    /// only by deserialization and shared by <c>with</c> copies, which is safe because nothing writes to it afterwards.
    /// Settable rather than init-only because System.Text.Json cannot bind extension data through an init accessor.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    public static SkillContext New() => new();
}
