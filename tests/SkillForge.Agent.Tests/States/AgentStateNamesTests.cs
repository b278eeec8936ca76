using SkillForge.Agent.States;

namespace SkillForge.Agent.Tests.States;

public class AgentStateNamesTests
{
    [Theory]
    [InlineData(AgentState.Idle, "idle")]
    [InlineData(AgentState.IntentDetection, "intent_detection")]
    [InlineData(AgentState.CheckingExisting, "checking_existing")]
    [InlineData(AgentState.GatheringPurpose, "gathering_purpose")]
    [InlineData(AgentState.GatheringDetails, "gathering_details")]
    [InlineData(AgentState.ConfirmingSpec, "confirming_spec")]
    [InlineData(AgentState.Generating, "generating")]
    [InlineData(AgentState.Validating, "validating")]
    [InlineData(AgentState.FixingErrors, "fixing_errors")]
    [InlineData(AgentState.SelectingStorage, "selecting_storage")]
    [InlineData(AgentState.Saving, "saving")]
    [InlineData(AgentState.Completed, "completed")]
    [InlineData(AgentState.Error, "error")]
    public void Should_use_the_design_wire_names(AgentState state, string wire)
    {
        Assert.Equal(wire, AgentStateNames.ToWire(state));
        Assert.True(AgentStateNames.TryParse(wire, out var parsed));
        Assert.Equal(state, parsed);
    }

    [Theory]
    [InlineData("GatheringDetails")]
    [InlineData("gathering-details")]
    [InlineData("")]
    [InlineData(null)]
    public void Should_not_parse_anything_but_the_wire_names(string? wire)
    {
        Assert.False(AgentStateNames.TryParse(wire, out _));
    }

    [Fact]
    public void Should_name_every_state()
    {
        Assert.Equal(Enum.GetValues<AgentState>().Length, AgentStateNames.All.Distinct().Count());
    }
}
