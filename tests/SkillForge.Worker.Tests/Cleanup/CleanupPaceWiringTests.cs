using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Sessions.Retention;
using SkillForge.Testing;

namespace SkillForge.Worker.Tests.Cleanup;

/// <summary>The worker's cleanup paces itself by the chat turns the same worker answers.</summary>
public sealed class CleanupPaceWiringTests : HarnessTests
{
    [Fact]
    public async Task Should_pace_the_cleanup_by_the_turns_this_worker_answered()
    {
        var before = Stopwatch.GetTimestamp();
        var tenant = TestIds.Tenant();
        for (var i = 0; i < 100; i++)
        {
            Assert.True((await Client.SendTurnAsync(tenant, TestIds.Session(), "I want a skill that formats SQL")).IsReplied);
        }

        var chat = Host.Services.GetRequiredService<ChatLatencies>();
        Assert.True(chat.Between(before, Stopwatch.GetTimestamp(), TimeSpan.Zero).Turns >= 100);
        // As of 2000 nothing has expired: the run only takes its pace, which its report names.
        var report = await Host.Services.GetRequiredService<CleanupRun>()
            .RunAsync(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), false, _ => Task.CompletedTask, default);
        Assert.Equal(PaceSignal.ChatTurns, report.PacedBy);
        Assert.Equal(0, report.DeletedSessions);
    }
}
