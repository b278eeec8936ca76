namespace SkillForge.Agent.Tests.Fakes;

/// <summary>A responder that does whatever the test says: throw, return a chosen result, or wait for cancellation.</summary>
internal sealed class ScriptedResponder(Func<AgentTurnInput, CancellationToken, Task<AgentTurnResult>> respond) : ISkillResponder
{
    public static ScriptedResponder Throwing(Exception? exception = null) =>
        new((_, _) => throw (exception ?? new InvalidOperationException("boom")));

    public static ScriptedResponder Returning(Func<AgentTurnInput, AgentTurnResult> result) =>
        new((input, _) => Task.FromResult(result(input)));

    public Task<AgentTurnResult> RespondAsync(AgentTurnInput input, CancellationToken cancellationToken) => respond(input, cancellationToken);
}
