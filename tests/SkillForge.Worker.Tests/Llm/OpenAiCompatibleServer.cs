using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SkillForge.Worker.Tests.Llm;

/// <summary>
/// A real HTTP server on loopback that speaks the OpenAI chat-completions protocol, answering each request with the
/// next of a script: what a hostile, broken or slow model endpoint sends, received by the worker's production adapter.
/// </summary>
internal sealed class OpenAiCompatibleServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly Func<HttpContext, Task> _otherwise;

    private OpenAiCompatibleServer(WebApplication app, Func<HttpContext, Task> otherwise)
    {
        _app = app;
        _otherwise = otherwise;
    }

    /// <summary>Base address to configure as <c>Agent:Llm:Endpoint</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Every request body received, in order.</summary>
    public ConcurrentQueue<JsonDocument> Requests { get; } = new();

    /// <param name="otherwise">The answer once the script is used up.</param>
    public static async Task<OpenAiCompatibleServer> StartAsync(Func<HttpContext, Task> otherwise)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new OpenAiCompatibleServer(app, otherwise);
        app.MapPost("/v1/chat/completions", async context =>
        {
            server.Requests.Enqueue(await JsonDocument.ParseAsync(context.Request.Body));
            await (server._script.TryDequeue(out var next) ? next : server._otherwise)(context);
        });
        await app.StartAsync();
        server.Endpoint = $"{app.Urls.Single()}/v1";
        return server;
    }

    /// <summary>Answers the next request with <paramref name="respond"/>.</summary>
    public OpenAiCompatibleServer Then(Func<HttpContext, Task> respond)
    {
        _script.Enqueue(respond);
        return this;
    }

    /// <summary>A chat completion whose assistant message is <paramref name="content"/>, with the token counts it reports.</summary>
    public static Func<HttpContext, Task> Completion(string content, int inputTokens = 1, int outputTokens = 1) => context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            id = "chatcmpl-test",
            @object = "chat.completion",
            created = 1_700_000_000,
            model = "test-model",
            choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
            usage = new { prompt_tokens = inputTokens, completion_tokens = outputTokens, total_tokens = inputTokens + outputTokens },
        }));
    };

    /// <summary>The JSON answer the agent asks for, as a chat completion.</summary>
    public static Func<HttpContext, Task> Answer(object answer, int inputTokens = 1, int outputTokens = 1) =>
        Completion(JsonSerializer.Serialize(answer), inputTokens, outputTokens);

    public static Func<HttpContext, Task> Status(int status, string? retryAfter = null) => context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        return context.Response.WriteAsync("""{"error":{"message":"try again later","type":"server_error"}}""");
    };

    public static Func<HttpContext, Task> Slow(TimeSpan delay, Func<HttpContext, Task> then) => async context =>
    {
        await Task.Delay(delay, context.RequestAborted);
        await then(context);
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var request in Requests)
        {
            request.Dispose();
        }
    }
}
