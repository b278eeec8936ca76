using Microsoft.Extensions.Logging;

namespace SkillForge.Agent;

/// <summary>Source-generated log messages of the agent; never the user's text (it may be personal).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Agent turn failed in state {State} ({ExceptionType}); recovering to gathering_details with the context kept")]
    public static partial void TurnFailed(ILogger logger, string state, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information,
        Message = "Agent uses the language model {Model} at {Endpoint} (timeout {Timeout}, window {WindowMessages} messages)")]
    public static partial void UsingLanguageModel(ILogger logger, string model, string endpoint, TimeSpan timeout, int windowMessages);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Agent uses the offline interview responder (no Agent:Llm endpoint configured)")]
    public static partial void UsingInterview(ILogger logger);
}
