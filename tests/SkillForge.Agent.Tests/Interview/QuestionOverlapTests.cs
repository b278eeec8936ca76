using SkillForge.Agent.Context;
using SkillForge.Agent.Interview;

namespace SkillForge.Agent.Tests.Interview;

public class QuestionOverlapTests
{
    [Theory]
    [InlineData("What should we call it?", "What should we call the skill?", true)]
    [InlineData("Which steps should it follow?", "What steps should it follow, in order?", true)]
    [InlineData("What steps should it follow, in order?", "When should an agent reach for this skill?", false)]
    [InlineData("How would you describe it?", "What should we call it?", false)]
    public void Should_count_a_question_sharing_more_than_half_its_words_as_asked(string candidate, string earlier, bool repeat)
    {
        Assert.Equal(repeat, QuestionOverlap.IsRepeat(candidate, earlier));
    }

    [Fact]
    public void Should_count_exactly_half_as_a_new_question()
    {
        // content words {steps, order} against {steps, tools}: one of two is not more than half
        Assert.False(QuestionOverlap.IsRepeat("Steps in order?", "Steps and tools?"));
    }

    [Fact]
    public void Should_keep_every_question_of_the_catalogue_distinct_from_the_others()
    {
        var questions = SpecFields.InterviewOrder
            .SelectMany(f => new[] { InterviewQuestions.Primary(f), InterviewQuestions.Alternate(f) })
            .Append(InterviewQuestions.Intent)
            .ToList();

        foreach (var q in questions)
        {
            var others = questions.Where(o => o != q);
            Assert.False(QuestionOverlap.WasAsked(q, others), $"'{q}' overlaps another question of the catalogue");
        }
    }
}
