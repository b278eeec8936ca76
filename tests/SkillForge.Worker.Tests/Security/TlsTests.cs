using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SkillForge.Broker;
using SkillForge.Sessions.Caching;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;
using StackExchange.Redis;

namespace SkillForge.Worker.Tests.Security;

/// <summary>
/// The worker and an upstream service over the TLS listeners of all three servers (ops/dev.sh's development CA), and
/// each connection refused when the party trusts another CA: the server's certificate is verified, never just accepted.
/// </summary>
public sealed class TlsTests
{
    [Fact]
    public async Task Should_answer_chat_turns_with_postgres_redis_and_rabbitmq_all_over_tls()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        var marker = $"skillforge-tls-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string?>(vhost.AsConfiguration())
        {
            ["ConnectionStrings:Postgres"] = PostgresOverTls(TestServers.Postgres, TestServers.TlsCaCertificate, marker),
            ["ConnectionStrings:PostgresMaintenance"] = PostgresOverTls(TestServers.PostgresMaintenance, TestServers.TlsCaCertificate, marker),
            ["ConnectionStrings:Redis"] = RedisOverTls($"name={marker}"),
            ["Redis:CaCertificate"] = TestServers.TlsCaCertificate,
            ["RabbitMq:Port"] = TestServers.RabbitMqTlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:Tls:Enabled"] = "true",
            ["RabbitMq:Tls:CaCertificate"] = TestServers.TlsCaCertificate,
        };
        await using var worker = await RealWorker.StartWorkerAsync(settings);
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name, configure: rabbit =>
        {
            rabbit.Port = TestServers.RabbitMqTlsPort;
            rabbit.Tls = new RabbitMqTlsOptions { Enabled = true, CaCertificate = TestServers.TlsCaCertificate };
        });
        var client = RealWorker.ClientOf(upstream);
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());

        var first = await client.SendTurnAsync(key.TenantId, key.SessionId, "I want a skill that formats SQL");
        var second = await client.SendTurnAsync(key.TenantId, key.SessionId, "Name it sql-formatter");

        Assert.Equal((1L, 2L), (first.Replied!.Version, second.Replied!.Version));
        // RabbitMQ: the worker's and the upstream's connections to this virtual host, every one of them over TLS.
        // The management API lists connections a few seconds late (its statistics interval).
        var connections = await Eventually.ReadAsync(vhost.GetConnectionsAsync, list => list.Count >= 2);
        Assert.Equal(
            [TestServers.RabbitMqUpstream.Name, TestServers.RabbitMqWorker.Name],
            connections.Select(c => c.GetProperty("user").GetString()).Distinct().Order());
        Assert.All(connections, c => Assert.True(c.GetProperty("ssl").GetBoolean()));
        // PostgreSQL: the turns were stored, and every connection the worker opened is encrypted.
        await using var db = await SharedDatabase.Superuser.OpenConnectionAsync();
        var ssl = (await db.QueryAsync<bool>(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = @marker",
            new { marker })).ToList();
        Assert.NotEmpty(ssl);
        Assert.All(ssl, Assert.True);
        Assert.Equal(2, (await worker.Services.GetRequiredService<SessionStore>().LoadAsync(key, default))!.Version);
        // Redis: the entry is there, and the worker's only connection is to the TLS port.
        Assert.True(await TestRedis.Shared.GetDatabase().KeyExistsAsync(SessionCache.KeyOf(key)));
        var clients = ((string?)await TestRedis.Admin.GetDatabase().ExecuteAsync("CLIENT", "LIST"))!
            .Split('\n').Where(line => line.Contains($" name={marker} ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(clients);
        Assert.All(clients, line => Assert.Contains($" laddr=127.0.0.1:{TestServers.RedisTlsPort} ", line, StringComparison.Ordinal));
        await upstream.StopAsync();
    }

    [Fact]
    public async Task Should_refuse_each_server_when_the_party_trusts_another_ca()
    {
        using var directory = new TemporaryDirectory();
        var otherCa = directory.Write("other-ca.crt", OtherCa());

        // PostgreSQL
        await using (var trusted = new NpgsqlConnection(PostgresOverTls(TestServers.Postgres, TestServers.TlsCaCertificate, "skillforge-tls-trusted")))
        {
            await trusted.OpenAsync();
        }
        await using (var untrusted = new NpgsqlConnection(PostgresOverTls(TestServers.Postgres, otherCa, "skillforge-tls-untrusted")))
        {
            var pgRefused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => untrusted.OpenAsync());
            Assert.Contains(Flatten(pgRefused), e => e is AuthenticationException);
        }

        // Redis
        using (var trusted = SessionsHostingExtensions.ConnectRedis(RedisOverTls(), TestServers.TlsCaCertificate))
        {
            await trusted.GetDatabase().PingAsync();
        }
        using (var untrusted = SessionsHostingExtensions.ConnectRedis(RedisOverTls(), otherCa))
        {
            // The same settings but the CA: the handshake fails, so no connection ever comes up.
            await Assert.ThrowsAsync<RedisConnectionException>(() => untrusted.GetDatabase().PingAsync());
            Assert.False(untrusted.IsConnected);
        }

        // RabbitMQ
        await using (await Broker(TestServers.TlsCaCertificate).CreateConnectionAsync())
        {
        }
        var refused = await Assert.ThrowsAnyAsync<RabbitMQ.Client.Exceptions.BrokerUnreachableException>(() => Broker(otherCa).CreateConnectionAsync());
        Assert.Contains(Flatten(refused), e => e is AuthenticationException);
    }

    /// <param name="applicationName">Names the connections in pg_stat_activity; the worker's stay open in its pool.</param>
    private static string PostgresOverTls(string connectionString, string caCertificate, string applicationName) =>
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            SslMode = SslMode.VerifyFull,
            RootCertificate = caCertificate,
            ApplicationName = applicationName,
        }.ConnectionString;

    private static string RedisOverTls(string extra = "")
    {
        var options = ConfigurationOptions.Parse($"{TestRedis.ConfigurationAt(TestServers.RedisTlsPort)},ssl=true,connectTimeout=2000{(extra.Length > 0 ? "," + extra : "")}");
        return options.ToString(includePassword: true);
    }

    private static RabbitMQ.Client.ConnectionFactory Broker(string caCertificate) => BrokerConnection.CreateConnectionFactory(new RabbitMqOptions
    {
        Host = TestServers.RabbitMqHost,
        Port = TestServers.RabbitMqTlsPort,
        VirtualHost = TestServers.RabbitMqVirtualHost,
        Username = TestServers.RabbitMqUpstream.Name,
        Password = TestServers.RabbitMqUpstream.Password,
        Tls = new RabbitMqTlsOptions { Enabled = true, CaCertificate = caCertificate },
    }, "skillforge-tls-test");

    /// <summary>A CA nobody here issued a certificate with: what a party trusts when it points at the wrong one.</summary>
    private static string OtherCa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Some other CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return ca.ExportCertificatePem();
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private sealed class TemporaryDirectory : IDisposable
    {
        private readonly string _path = Directory.CreateTempSubdirectory("skillforge-tls-").FullName;

        public string Write(string name, string content)
        {
            var path = Path.Combine(_path, name);
            File.WriteAllText(path, content);
            return path;
        }

        public void Dispose() => Directory.Delete(_path, recursive: true);
    }
}
