using SkillForge.Harness;

namespace SkillForge.Testing;

/// <summary>
/// Where the real servers are: the ops/dev.sh defaults, overridable with the same environment variables the
/// worker reads (ConnectionStrings__Postgres, …). Tests use the <c>skillforge_test</c> database.
/// </summary>
public static class TestServers
{
    public static string Postgres { get; } = FromEnvironment("ConnectionStrings__Postgres",
        "Host=127.0.0.1;Port=5432;Username=skillforge_app;Password=skillforge_app;Database=skillforge_test");

    public static string PostgresAdmin { get; } = FromEnvironment("ConnectionStrings__PostgresAdmin",
        "Host=127.0.0.1;Port=5432;Username=skillforge;Password=skillforge;Database=skillforge_test");

    public static string PostgresMaintenance { get; } = FromEnvironment("ConnectionStrings__PostgresMaintenance",
        "Host=127.0.0.1;Port=5432;Username=skillforge_maintenance;Password=skillforge_maintenance;Database=skillforge_test");

    /// <summary>
    /// ops/dev.sh's superuser, for tests that seed or inspect rows of several tenants: row-level security binds
    /// every SkillForge role, the owner included, so only a superuser sees past it.
    /// </summary>
    public static string PostgresSuperuser { get; } = FromEnvironment("ConnectionStrings__PostgresSuperuser",
        "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=skillforge_test");

    /// <summary>The four roles' connection strings, for a scratch database of a test class's own.</summary>
    public static DatabaseServer Database { get; } = new(Postgres, PostgresAdmin, PostgresMaintenance, PostgresSuperuser);

    public static string Redis { get; } = FromEnvironment("ConnectionStrings__Redis", "127.0.0.1:6379,user=skillforge-worker,password=skillforge-worker");

    /// <summary>Redis's administrator (ops/redis/users.acl): what a test plants as an attacker with write access to Redis.</summary>
    public static string RedisAdmin { get; } = FromEnvironment("SKILLFORGE_TEST_REDIS_ADMIN", "127.0.0.1:6379,user=admin,password=admin");

    /// <summary>The CA that ops/dev.sh made for the servers' TLS listeners (PostgreSQL's port, Redis 6380, AMQPS 5671).</summary>
    public static string TlsCaCertificate { get; } = FromEnvironment("SKILLFORGE_TEST_TLS_CA", Path.Combine(RepositoryRoot.Path, ".data", "tls", "ca.crt"));

    public static int RedisTlsPort { get; } = int.Parse(FromEnvironment("SKILLFORGE_TEST_REDIS_TLS_PORT", "6380"), System.Globalization.CultureInfo.InvariantCulture);

    public static int RabbitMqTlsPort { get; } = int.Parse(FromEnvironment("SKILLFORGE_TEST_RABBITMQ_TLS_PORT", "5671"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RabbitMqHost { get; } = FromEnvironment("RabbitMq__Host", "127.0.0.1");

    public static int RabbitMqPort { get; } = int.Parse(FromEnvironment("RabbitMq__Port", "5672"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RabbitMqVirtualHost { get; } = FromEnvironment("RabbitMq__VirtualHost", "skillforge");

    /// <summary>The worker's broker user (and the one AsConfiguration gives every worker host built in tests).</summary>
    public static BrokerUser RabbitMqWorker { get; } = new(
        FromEnvironment("RabbitMq__Username", "skillforge-worker"), FromEnvironment("RabbitMq__Password", "skillforge-worker"));

    /// <summary>An upstream service's broker user: what the typed client connects as.</summary>
    public static BrokerUser RabbitMqUpstream { get; } = new(
        FromEnvironment("SKILLFORGE_TEST_UPSTREAM_USER", "skillforge-upstream"), FromEnvironment("SKILLFORGE_TEST_UPSTREAM_PASSWORD", "skillforge-upstream"));

    /// <summary>The operator's broker user: what the CLI connects as.</summary>
    public static BrokerUser RabbitMqOperator { get; } = new(
        FromEnvironment("SKILLFORGE_TEST_OPERATOR_USER", "skillforge-operator"), FromEnvironment("SKILLFORGE_TEST_OPERATOR_PASSWORD", "skillforge-operator"));

    /// <summary>The management HTTP API, for tests that create a virtual host of their own.</summary>
    public static Uri RabbitMqManagement { get; } = new(FromEnvironment("RabbitMq__Management", "http://127.0.0.1:15672/"));

    public static string RabbitMqAdminUsername { get; } = FromEnvironment("RabbitMq__AdminUsername", "admin");

    public static string RabbitMqAdminPassword { get; } = FromEnvironment("RabbitMq__AdminPassword", "admin");

    /// <summary>Connection settings as configuration keys, for hosts built in tests.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> AsConfiguration() =>
    [
        new("ConnectionStrings:Postgres", Postgres),
        new("ConnectionStrings:PostgresMaintenance", PostgresMaintenance),
        new("ConnectionStrings:PostgresAdmin", PostgresAdmin),
        new("ConnectionStrings:Redis", Redis),
        new("RabbitMq:Host", RabbitMqHost),
        new("RabbitMq:Port", RabbitMqPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("RabbitMq:VirtualHost", RabbitMqVirtualHost),
        new("RabbitMq:Username", RabbitMqWorker.Name),
        new("RabbitMq:Password", RabbitMqWorker.Password),
    ];

    /// <summary>The <c>RabbitMq</c> user and password keys for <paramref name="user"/>, over <see cref="AsConfiguration"/>'s.</summary>
    public static IDictionary<string, string?> As(BrokerUser user) =>
        new Dictionary<string, string?> { ["RabbitMq:Username"] = user.Name, ["RabbitMq:Password"] = user.Password };

    private static string FromEnvironment(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}
