using SkillForge.Agent.Interview;

namespace SkillForge.Agent.Tests.Interview;

public class UserRepliesTests
{
    [Theory]
    [InlineData("yes")]
    [InlineData("Yes please!")]
    [InlineData("looks good")]
    [InlineData("That's right")]
    [InlineData("go ahead")]
    [InlineData("sure, save it")]
    [InlineData("LGTM")]
    public void Should_hear_yes(string text) => Assert.True(UserReplies.IsAffirmative(text));

    [Theory]
    [InlineData("yes but change the name")]
    [InlineData("no")]
    [InlineData("not quite")]
    [InlineData("hmm")]
    [InlineData("okay, except the steps are wrong")]
    public void Should_not_hear_yes_with_a_reservation(string text) => Assert.False(UserReplies.IsAffirmative(text));

    [Theory]
    [InlineData("hi")]
    [InlineData("Hello there!")]
    [InlineData("hey, how are you doing?")]
    [InlineData("what can you do?")]
    public void Should_recognise_small_talk(string text) => Assert.True(UserReplies.IsSmallTalk(text));

    [Theory]
    [InlineData("I want to create a skill")]
    [InlineData("summarise pull requests")]
    public void Should_not_take_a_request_for_small_talk(string text) => Assert.False(UserReplies.IsSmallTalk(text));
}
