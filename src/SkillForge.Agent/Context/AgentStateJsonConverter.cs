using System.Text.Json;
using System.Text.Json.Serialization;
using SkillForge.Agent.States;

namespace SkillForge.Agent.Context;

/// <summary>
/// Reads and writes <see cref="AgentState"/> by its wire name. A name this version does not know (written by a newer
/// agent during a rolling deploy) reads as <c>gathering_details</c>, the state every failure recovers to, instead of
/// making the whole session unreadable.
/// </summary>
internal sealed class AgentStateJsonConverter : JsonConverter<AgentState>
{
    public override AgentState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"The agent state must be a string such as \"gathering_details\", not {reader.TokenType}.");
        }
        return AgentStateNames.TryParse(reader.GetString(), out var state) ? state : AgentState.GatheringDetails;
    }

    public override void Write(Utf8JsonWriter writer, AgentState value, JsonSerializerOptions options) =>
        writer.WriteStringValue(AgentStateNames.ToWire(value));
}
