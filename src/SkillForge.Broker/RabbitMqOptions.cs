using System.ComponentModel.DataAnnotations;

namespace SkillForge.Broker;

/// <summary>Broker connection, bound from the <c>RabbitMq</c> section (or <c>RabbitMq__Host</c>, … in the environment).</summary>
public sealed class RabbitMqOptions
{
    /// <summary>The configuration section these settings are bound from.</summary>
    public const string Section = "RabbitMq";

    /// <summary>The broker's host name or address, when <see cref="ClusterNodes"/> is empty.</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The broker's AMQP port (5671 is the usual one for TLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    /// <summary>The virtual host every SkillForge queue and exchange lives in.</summary>
    [Required]
    public string VirtualHost { get; set; } = "skillforge";

    /// <summary>
    /// This party's own broker user (worker, an upstream service, the operator). It is stamped on everything the
    /// party sends as the AMQP <c>user_id</c>, which RabbitMQ checks against the connection, so a receiver can trust it.
    /// </summary>
    [Required(ErrorMessage = "RabbitMq:Username is not configured (environment variable RabbitMq__Username): the party's own broker user.")]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "RabbitMq:Username must be 1-64 letters, digits, '-' or '_' (it names the party's reply queues).")]
    public string Username { get; set; } = "";

    /// <summary>The password of <see cref="Username"/>; from a secret store in production, never the settings file.</summary>
    [Required(ErrorMessage = "RabbitMq:Password is not configured (environment variable RabbitMq__Password).")]
    public string Password { get; set; } = "";

    /// <summary>
    /// The nodes of a RabbitMQ cluster as <c>host:port</c> (e.g. <c>RabbitMq__ClusterNodes__0=10.0.0.1:5672</c>); the
    /// party connects to the first that answers and moves to another when its node goes away. Empty: <see cref="Host"/>
    /// and <see cref="Port"/> alone.
    /// </summary>
    public string[] ClusterNodes { get; set; } = [];

    /// <summary>TLS to the broker (<c>RabbitMq:Tls:Enabled</c>, its CA and client certificate).</summary>
    public RabbitMqTlsOptions Tls { get; set; } = new();
}
