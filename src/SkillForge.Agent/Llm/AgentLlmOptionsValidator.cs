using Microsoft.Extensions.Options;

namespace SkillForge.Agent.Llm;

/// <summary>Fails start-up with a message naming the setting and the fix, rather than failing the first turn.</summary>
internal sealed class AgentLlmOptionsValidator : IValidateOptions<AgentLlmOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentLlmOptions options)
    {
        var errors = new List<string>();
        var hasEndpoint = !string.IsNullOrWhiteSpace(options.Endpoint);
        var hasModel = !string.IsNullOrWhiteSpace(options.Model);
        if (hasEndpoint != hasModel)
        {
            errors.Add(hasEndpoint
                ? "Agent:Llm:Endpoint is set but Agent:Llm:Model is not. Set both (e.g. Agent__Llm__Model=gpt-4o-mini) to use a language model, or neither for the offline interview."
                : "Agent:Llm:Model is set but Agent:Llm:Endpoint is not. Set both (e.g. Agent__Llm__Endpoint=https://api.openai.com/v1) to use a language model, or neither for the offline interview.");
        }
        Uri? uri = null;
        if (hasEndpoint && !(Uri.TryCreate(options.Endpoint, UriKind.Absolute, out uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add($"Agent:Llm:Endpoint '{options.Endpoint}' is not an absolute http(s) URL such as https://api.openai.com/v1.");
        }
        else if (uri is { Scheme: "http", IsLoopback: false })
        {
            // Every turn's text and the API key would cross the network in the clear.
            errors.Add($"Agent:Llm:Endpoint '{options.Endpoint}' must use https: plain http is allowed only to a model on this machine (localhost, 127.0.0.1, [::1]).");
        }
        if (options.Timeout < TimeSpan.FromMilliseconds(10) || options.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Agent:Llm:Timeout is {options.Timeout}; it must be between 00:00:00.010 and 00:10:00 (default 00:00:30).");
        }
        if (options.WindowMessages is < 1 or > 1_000)
        {
            errors.Add($"Agent:Llm:WindowMessages is {options.WindowMessages}; it must be between 1 and 1000 (default 20).");
        }
        if (options.Temperature is < 0 or > 2 || float.IsNaN(options.Temperature))
        {
            errors.Add($"Agent:Llm:Temperature is {options.Temperature}; it must be between 0 and 2.");
        }
        if (options.MaxCallsPerTurn is < 1 or > 10)
        {
            errors.Add($"Agent:Llm:MaxCallsPerTurn is {options.MaxCallsPerTurn}; it must be between 1 and 10 (default 2).");
        }
        if (options.MaxOutputTokens is < 64 or > 128_000)
        {
            errors.Add($"Agent:Llm:MaxOutputTokens is {options.MaxOutputTokens}; it must be between 64 and 128000.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
