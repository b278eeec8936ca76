using SkillForge.Sessions;
using StackExchange.Redis;

namespace SkillForge.Testing;

/// <summary>The real Redis of ops/dev.sh, and a dead one (a closed port) for outage tests.</summary>
public static class TestRedis
{
    private static readonly Lazy<IConnectionMultiplexer> SharedConnection = new(() => SessionsHostingExtensions.ConnectRedis(TestServers.Redis));

    public static IConnectionMultiplexer Shared => SharedConnection.Value;

    /// <summary>The real Redis's port, for a <see cref="TcpProxy"/> in front of it.</summary>
    public static int Port { get; } = ConfigurationOptions.Parse(TestServers.Redis).EndPoints.Single() switch
    {
        System.Net.DnsEndPoint dns => dns.Port,
        System.Net.IPEndPoint ip => ip.Port,
        var other => throw new InvalidOperationException($"Unexpected Redis endpoint {other}"),
    };

    /// <summary>A multiplexer pointed at a port nobody listens on: every command fails at once.</summary>
    public static IConnectionMultiplexer Dead() => SessionsHostingExtensions.ConnectRedis("127.0.0.1:1,connectTimeout=200");
}
