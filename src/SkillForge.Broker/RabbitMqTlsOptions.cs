namespace SkillForge.Broker;

/// <summary>AMQPS, bound from <c>RabbitMq:Tls</c> (<c>RabbitMq__Tls__Enabled=true</c>, …).</summary>
public sealed class RabbitMqTlsOptions
{
    /// <summary>Connect over TLS (the broker's AMQPS listener, usually port 5671). The server's certificate is always verified.</summary>
    public bool Enabled { get; set; }

    /// <summary>The name the server's certificate must carry; empty: <see cref="RabbitMqOptions.Host"/>.</summary>
    public string? ServerName { get; set; }

    /// <summary>
    /// A PEM file with the CA that issued the broker's certificate, trusted for this connection alone (a private CA
    /// need not enter the machine's trust store). Empty: the machine's trust store decides.
    /// </summary>
    public string? CaCertificate { get; set; }
}
