using Microsoft.Extensions.AI;

namespace SkillForge.Agent.Tests.Fakes;

/// <summary>
/// A scripted <see cref="IChatClient"/>: each call takes the next scripted behaviour (an answer text, an exception,
/// a delay) and records the messages it was sent. No network.
/// </summary>
internal sealed class FakeChatClient : IChatClient
{
    private readonly Queue<Func<CancellationToken, Task<string?>>> _script = new();
    private readonly List<IReadOnlyList<ChatMessage>> _calls = [];

    public IReadOnlyList<IReadOnlyList<ChatMessage>> Calls => _calls;

    public ChatOptions? LastOptions { get; private set; }

    public static FakeChatClient Answering(params string[] answers)
    {
        var fake = new FakeChatClient();
        foreach (var answer in answers)
        {
            fake.Then(answer);
        }
        return fake;
    }

    public FakeChatClient Then(string? answer)
    {
        _script.Enqueue(_ => Task.FromResult(answer));
        return this;
    }

    public FakeChatClient ThenThrow(Exception exception)
    {
        _script.Enqueue(_ => Task.FromException<string?>(exception));
        return this;
    }

    /// <summary>Waits for cancellation, like a model that never answers.</summary>
    public FakeChatClient ThenHang(bool honourCancellation = true)
    {
        _script.Enqueue(async token =>
        {
            await Task.Delay(TimeSpan.FromMinutes(5), honourCancellation ? token : CancellationToken.None);
            return "{}";
        });
        return this;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        _calls.Add([.. messages]);
        LastOptions = options;
        if (!_script.TryDequeue(out var next))
        {
            throw new InvalidOperationException("The fake chat client has no scripted answer left.");
        }
        var text = await next(cancellationToken);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The agent does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
