using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Tests.Storage;

/// <summary>Builds turns for store tests: the N-th turn of a session has version N-1 expected.</summary>
internal static class Turns
{
    public static TurnToAppend Turn(SessionKey key, long expectedVersion, string userText = "hello", string reply = "hi there",
        Guid? turnId = null, string state = "gathering_purpose", string status = SessionStatus.Active, string previousState = "idle") =>
        new()
        {
            Key = key, TurnId = turnId ?? Guid.NewGuid(), ExpectedVersion = expectedVersion, UserText = userText, Reply = reply,
            PreviousState = previousState, State = state, Status = status,
            SkillName = status == SessionStatus.Completed ? "my-skill" : null,
            SkillDescription = status == SessionStatus.Completed ? "Does things" : null,
            ContextJson = $$"""{"turn": {{expectedVersion + 1}}}""", At = DateTimeOffset.UtcNow,
        };

    /// <summary>Appends <paramref name="count"/> turns in order and returns the key.</summary>
    public static async Task<SessionKey> AppendManyAsync(SessionStore store, SessionKey key, int count)
    {
        for (var version = 0; version < count; version++)
        {
            var result = await store.AppendTurnAsync(Turn(key, version, $"user {version + 1}", $"assistant {version + 1}"), CancellationToken.None);
            Assert.Equal(AppendOutcome.Appended, result.Outcome);
        }
        return key;
    }
}
