using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI;
using SkillForge.Agent.Interview;
using SkillForge.Agent.Llm;

namespace SkillForge.Agent.Hosting;

public static class AgentHostingExtensions
{
    /// <summary>
    /// The key under which the agent looks for its <see cref="IChatClient"/>. Registered here from configuration; a
    /// host or test may register its own under this key (e.g. a fake client) to get the LLM responder without a network.
    /// </summary>
    public const string ChatClientKey = "skillforge-agent";

    /// <summary>
    /// The ActivitySource and Meter of the model calls: a <c>chat {model}</c> span and the <c>gen_ai.client.*</c>
    /// histograms of OpenTelemetry's generative-AI conventions, from Microsoft.Extensions.AI's middleware.
    /// </summary>
    public const string TelemetrySourceName = "SkillForge.Llm";

    /// <summary>
    /// Registers <see cref="ISkillAgent"/>: the offline interview, unless <c>Agent:Llm</c> has an Endpoint and a Model
    /// (key from <c>Agent:Llm:ApiKey</c>, usually the environment variable <c>Agent__Llm__ApiKey</c>); then an OpenAI-
    /// compatible <see cref="IChatClient"/> behind the LLM responder. Settings are validated at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddSkillAgent(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AgentLlmOptions>()
            .BindConfiguration(AgentLlmOptions.Section)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentLlmOptions>, AgentLlmOptionsValidator>());

        var section = builder.Configuration.GetSection(AgentLlmOptions.Section);
        if (!string.IsNullOrWhiteSpace(section["Endpoint"]) && !string.IsNullOrWhiteSpace(section["Model"]))
        {
            builder.Services.TryAddKeyedSingleton(ChatClientKey,
                (sp, _) => CreateOpenAiChatClient(sp.GetRequiredService<IOptions<AgentLlmOptions>>().Value));
        }
        builder.Services.TryAddSingleton<ISkillAgent>(CreateAgent);
        return builder;
    }

    private static SkillAgent CreateAgent(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AgentLlmOptions>>().Value;
        var logger = services.GetService<ILogger<SkillAgent>>();
        var chatClient = services.GetKeyedService<IChatClient>(ChatClientKey);
        if (chatClient is null)
        {
            if (logger is not null)
            {
                AgentLog.UsingInterview(logger);
            }
            return new SkillAgent(new InterviewResponder(), logger);
        }
        if (logger is not null)
        {
            AgentLog.UsingLanguageModel(logger, options.Model ?? "(host-provided client)", options.Endpoint ?? "(host-provided client)", options.Timeout, options.WindowMessages);
        }
        return new SkillAgent(new ChatClientResponder(WithTelemetry(chatClient, services), options), logger);
    }

    /// <summary>
    /// Every model call traced and measured, whichever client the host gave. Message content never: what users write is
    /// personal data, so it is off even when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT asks for it. No logger:
    /// a failed call is logged once, by the agent's recovery (event 4001).
    /// </summary>
    private static IChatClient WithTelemetry(IChatClient chatClient, IServiceProvider services) =>
        chatClient.AsBuilder()
            .UseOpenTelemetry(NullLoggerFactory.Instance, TelemetrySourceName, telemetry => telemetry.EnableSensitiveData = false)
            .Build(services);

    private static IChatClient CreateOpenAiChatClient(AgentLlmOptions options)
    {
        // Local OpenAI-compatible servers need no key, but the SDK insists on a non-empty credential.
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "no-key" : options.ApiKey;
        var client = new OpenAI.Chat.ChatClient(options.Model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(options.Endpoint!),
            NetworkTimeout = options.Timeout,
            // No retries inside the SDK: each would be another model call for the same turn. A failed call takes the
            // agent's recovery path, and the worker bounds the calls a turn may make (Agent:Llm:MaxCallsPerTurn).
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });
        return client.AsIChatClient();
    }
}
