using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using StackExchange.Redis;

namespace SkillForge.Testing;

/// <summary>The real Redis of ops/dev.sh, and a dead one (a closed port) for outage tests.</summary>
public static class TestRedis
{
    private static readonly Lazy<IConnectionMultiplexer> SharedConnection = new(() => SessionsHostingExtensions.ConnectRedis(TestServers.Redis));

    private static readonly Lazy<IConnectionMultiplexer> AdminConnection = new(() => SessionsHostingExtensions.ConnectRedis(TestServers.RedisAdmin));

    /// <summary>Connected as the worker's Redis user, which may run only the commands the worker runs, on its own keys.</summary>
    public static IConnectionMultiplexer Shared => SharedConnection.Value;

    /// <summary>Connected as Redis's administrator, for tests that plant what the worker's user may not write (a corrupt entry).</summary>
    public static IConnectionMultiplexer Admin => AdminConnection.Value;

    /// <summary>The real Redis's (first) port, for a <see cref="TcpProxy"/> in front of it.</summary>
    public static int Port => ConfigurationOptions.Parse(TestServers.Redis).EndPoints[0] switch
    {
        System.Net.DnsEndPoint dns => dns.Port,
        System.Net.IPEndPoint ip => ip.Port,
        var other => throw new InvalidOperationException($"Unexpected Redis endpoint {other}"),
    };

    /// <summary>The worker's Redis settings (its user included) with the server at <paramref name="port"/>, e.g. a <see cref="TcpProxy"/>'s.</summary>
    public static string ConfigurationAt(int port)
    {
        var options = ConfigurationOptions.Parse(TestServers.Redis);
        options.EndPoints.Clear();
        options.EndPoints.Add("127.0.0.1", port);
        return options.ToString(includePassword: true);
    }

    /// <summary>Whether Redis holds <paramref name="key"/>'s session (its data field), as opposed to nothing or an erasure's marker.</summary>
    public static Task<bool> HoldsSessionAsync(SessionKey key) =>
        Shared.GetDatabase().HashExistsAsync(Sessions.Caching.SessionCache.KeyOf(key), "d");

    /// <summary>A multiplexer pointed at a port nobody listens on: every command fails at once.</summary>
    public static IConnectionMultiplexer Dead() => SessionsHostingExtensions.ConnectRedis("127.0.0.1:1,connectTimeout=200");
}
