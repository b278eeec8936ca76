using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SkillForge.Agent.Context;
using SkillForge.Agent.Hosting;
using SkillForge.Agent.Interview;
using SkillForge.Agent.Llm;
using SkillForge.Agent.Tests.Fakes;
using SkillForge.Agent.Tests.Llm;

namespace SkillForge.Agent.Tests.Hosting;

public class AgentHostingExtensionsTests
{
    private static IHost Build(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSkillAgent();
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task Should_use_the_offline_interview_without_an_llm_configured()
    {
        using var host = Build([]);
        await host.StartAsync();

        var agent = Assert.IsType<SkillAgent>(host.Services.GetRequiredService<ISkillAgent>());

        Assert.IsType<InterviewResponder>(agent.Responder);
        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<IOptions<AgentLlmOptions>>().Value.Timeout);
        await host.StopAsync();
    }

    [Fact]
    public async Task Should_use_the_llm_responder_when_endpoint_and_model_are_set()
    {
        using var host = Build(new()
        {
            ["Agent:Llm:Endpoint"] = "http://127.0.0.1:9/v1",
            ["Agent:Llm:Model"] = "test-model",
            ["Agent:Llm:ApiKey"] = "secret",
            ["Agent:Llm:Timeout"] = "00:00:05",
        });
        await host.StartAsync();

        var agent = Assert.IsType<SkillAgent>(host.Services.GetRequiredService<ISkillAgent>());

        Assert.IsType<ChatClientResponder>(agent.Responder);
        Assert.NotNull(host.Services.GetKeyedService<IChatClient>(AgentHostingExtensions.ChatClientKey));
        Assert.Equal(TimeSpan.FromSeconds(5), host.Services.GetRequiredService<IOptions<AgentLlmOptions>>().Value.Timeout);
        await host.StopAsync();
    }

    [Fact]
    public async Task Should_use_a_chat_client_the_host_registers_under_the_agent_key()
    {
        var fake = FakeChatClient.Answering(LlmAnswers.AskName);
        using var host = Build([], services => services.AddKeyedSingleton<IChatClient>(AgentHostingExtensions.ChatClientKey, fake));
        await host.StartAsync();

        var result = await host.Services.GetRequiredService<ISkillAgent>().RespondAsync(Specs.Input("hi", SkillContext.New()), CancellationToken.None);

        Assert.Equal("Nice idea! What should we call it?", result.Reply);
        Assert.Single(fake.Calls);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Agent:Llm:Endpoint", "http://127.0.0.1:9/v1", "Agent:Llm:Model is not")]
    [InlineData("Agent:Llm:Model", "gpt-4o-mini", "Agent:Llm:Endpoint is not")]
    [InlineData("Agent:Llm:Timeout", "00:30:00", "Agent:Llm:Timeout")]
    [InlineData("Agent:Llm:WindowMessages", "0", "Agent:Llm:WindowMessages")]
    public async Task Should_fail_start_up_with_a_clear_message_for_bad_settings(string key, string value, string message)
    {
        using var host = Build(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_reject_an_endpoint_that_is_not_an_http_url()
    {
        using var host = Build(new() { ["Agent:Llm:Endpoint"] = "localhost:11434", ["Agent:Llm:Model"] = "llama" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("not an absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://models.internal:8080/v1")]
    [InlineData("http://10.1.2.3/v1")]
    public async Task Should_refuse_a_plain_http_endpoint_that_is_not_on_this_machine(string endpoint)
    {
        using var host = Build(new() { ["Agent:Llm:Endpoint"] = endpoint, ["Agent:Llm:Model"] = "llama" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("must use https", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:11434/v1")]
    [InlineData("http://127.0.0.1:11434/v1")]
    [InlineData("http://[::1]:11434/v1")]
    [InlineData("https://models.internal/v1")]
    public void Should_accept_https_or_a_model_on_this_machine(string endpoint)
    {
        var result = new AgentLlmOptionsValidator().Validate(null, new AgentLlmOptions { Endpoint = endpoint, Model = "llama" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
