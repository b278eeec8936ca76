using System.ComponentModel.DataAnnotations;
using MassTransit;
using RabbitMQ.Client;

namespace SkillForge.Broker;

/// <summary>The one RabbitMQ host set-up of every SkillForge party.</summary>
public static class BrokerConnection
{
    /// <summary>
    /// Connects with <paramref name="options"/>, stamps the party's user on everything it sends and publishes (the
    /// broker refuses a <c>user_id</c> other than the connection's, so receivers may act on it) and the session's ids
    /// (<see cref="SessionHeaders"/>), and names the bus's
    /// reply queue under <see cref="PrivateQueueName"/>, which the broker's permissions give to this user alone.
    /// </summary>
    /// <exception cref="ValidationException">A setting is missing or malformed; the message names it.</exception>
    public static void UseSkillForgeBroker(this IRabbitMqBusFactoryConfigurator rabbit, RabbitMqOptions options, string connectionName)
    {
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        rabbit.Host(options.Host, (ushort)options.Port, options.VirtualHost, host =>
        {
            host.Username(options.Username);
            host.Password(options.Password);
            host.ConnectionName(connectionName);
            if (options.Tls.Enabled)
            {
                host.UseSsl(ssl =>
                {
                    ssl.ServerName = ServerName(options);
                    if (options.Tls.CaCertificate is { Length: > 0 } ca)
                    {
                        ssl.CertificateValidationCallback = TrustedCa.Validator(ca);
                    }
                });
            }
            if (options.ClusterNodes.Length > 0)
            {
                host.UseCluster(cluster =>
                {
                    foreach (var node in options.ClusterNodes)
                    {
                        cluster.Node(node);
                    }
                });
            }
        });
        rabbit.OverrideDefaultBusEndpointQueueName(PrivateQueueName(options.Username, "bus"));
        var user = options.Username;
        rabbit.ConfigureSend(send => send.UseExecute(context => Stamp(context, user)));
        rabbit.ConfigurePublish(publish => publish.UseExecute(context => Stamp(context, user)));
    }

    /// <summary>
    /// A plain RabbitMQ.Client connection factory with the same host, user and TLS as <see cref="UseSkillForgeBroker"/>,
    /// for tools that move raw messages (redrive) rather than run a bus.
    /// </summary>
    public static ConnectionFactory CreateConnectionFactory(RabbitMqOptions options, string connectionName)
    {
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var factory = new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            ClientProvidedName = connectionName,
        };
        if (options.Tls.Enabled)
        {
            factory.Ssl = new SslOption(ServerName(options), enabled: true);
            if (options.Tls.CaCertificate is { Length: > 0 } ca)
            {
                factory.Ssl.CertificateValidationCallback = TrustedCa.Validator(ca);
            }
        }
        return factory;
    }

    /// <summary>
    /// A plain connection as <see cref="CreateConnectionFactory"/> makes it, to the first of
    /// <see cref="RabbitMqOptions.ClusterNodes"/> that answers when they are set (else to the host), as the bus does.
    /// </summary>
    public static async Task<IConnection> ConnectAsync(RabbitMqOptions options, string connectionName, CancellationToken cancellationToken)
    {
        var factory = CreateConnectionFactory(options, connectionName);
        if (options.ClusterNodes.Length == 0)
        {
            return await factory.CreateConnectionAsync(cancellationToken);
        }
        var endpoints = options.ClusterNodes.Select(node =>
        {
            var colon = node.LastIndexOf(':');
            return colon > 0 && int.TryParse(node[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port)
                ? new AmqpTcpEndpoint(node[..colon], port, factory.Ssl)
                : new AmqpTcpEndpoint(node, options.Port, factory.Ssl);
        }).ToList();
        return await factory.CreateConnectionAsync(endpoints, cancellationToken);
    }

    /// <summary>
    /// A queue (and exchange) of <paramref name="username"/>'s own: <c>reply.{user}.{tag}-{random}</c>. The broker lets
    /// each party configure and read only names under its own <c>reply.{user}.</c> prefix.
    /// </summary>
    public static string PrivateQueueName(string username, string tag) => $"reply.{username}.{tag}-{Guid.NewGuid():N}";

    /// <summary>
    /// A temporary receive endpoint under <see cref="PrivateQueueName"/> (to hear published events, a cleanup's report):
    /// MassTransit's own temporary names could not be given to one party alone.
    /// </summary>
    public static HostReceiveEndpointHandle ConnectPrivateEndpoint(this IBus bus, string username, string tag, Action<IReceiveEndpointConfigurator> configure) =>
        bus.ConnectReceiveEndpoint(PrivateQueueName(username, tag), endpoint =>
        {
            if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            configure(endpoint);
        });

    /// <summary>The broker-validated sender of a received message, or null when it carries none (or did not come over RabbitMQ).</summary>
    public static string? SenderOf(ReceiveContext context) =>
        context is RabbitMqBasicConsumeContext rabbit && rabbit.Properties.IsUserIdPresent() ? rabbit.Properties.UserId : null;

    private static string ServerName(RabbitMqOptions options) =>
        options.Tls.ServerName is { Length: > 0 } name ? name : options.Host;

    private static void Stamp(SendContext context, string user)
    {
        SessionHeaders.Stamp(context);
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.BasicProperties.UserId = user;
        }
    }
}
