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
}
