using RabbitMQ.Client;
using SkillForge.Broker;

namespace SkillForge.Testing;

/// <summary>A plain AMQP connection to the real broker as one party: what a test plants, drains or attacks with.</summary>
public static class TestBroker
{
    /// <param name="virtualHost">A test's own virtual host; the shared one by default.</param>
    public static Task<IConnection> ConnectAsync(BrokerUser user, string? virtualHost = null) =>
        BrokerConnection.CreateConnectionFactory(new RabbitMqOptions
        {
            Host = TestServers.RabbitMqHost,
            Port = TestServers.RabbitMqPort,
            VirtualHost = virtualHost ?? TestServers.RabbitMqVirtualHost,
            Username = user.Name,
            Password = user.Password,
        }, "skillforge-tests").CreateConnectionAsync();

    /// <summary>The management HTTP API as the broker's admin (the caller disposes it).</summary>
    public static HttpClient Management()
    {
        var http = new HttpClient { BaseAddress = TestServers.RabbitMqManagement };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TestServers.RabbitMqAdminUsername}:{TestServers.RabbitMqAdminPassword}")));
        return http;
    }
}
