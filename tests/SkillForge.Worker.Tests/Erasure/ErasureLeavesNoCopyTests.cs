using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using SkillForge.Broker;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Storage;
using SkillForge.Testing;
using SkillForge.Testing.Worker;
using SkillForge.Worker.Erasure;
using StackExchange.Redis;

namespace SkillForge.Worker.Tests.Erasure;

/// <summary>
/// The promise checked as an auditor would: a session whose text sits in PostgreSQL, Redis and a failed copy in every
/// error, skipped and dead-letter queue is erased; afterwards a dump of the database, every session value in Redis and
/// every message left in those queues hold its marker nowhere, and other sessions' messages are still there, in order.
/// </summary>
public sealed class ErasureLeavesNoCopyTests
{
    [Fact]
    public async Task Should_leave_no_copy_of_the_erased_sessions_text_in_postgres_redis_or_the_queues()
    {
        await using var vhost = await TestVirtualHost.CreateAsync();
        await using var worker = await RealWorker.StartWorkerAsync(vhost.AsConfiguration());
        using var upstream = await RealWorker.StartUpstreamAsync(vhost.Name);
        var client = RealWorker.ClientOf(upstream);
        var marker = $"marker-{Guid.NewGuid():N}";
        var key = new SessionKey(TestIds.Tenant(), TestIds.Session());
        var other = new SessionKey(key.TenantId, TestIds.Session());
        Assert.True((await client.SendTurnAsync(key.TenantId, key.SessionId, $"I want a skill about {marker}")).IsReplied);
        await using (var broker = await Connect(vhost))
        {
            foreach (var queue in QueueCopies.Queues)
            {
                await PlantAsync(broker, queue, other, "kept before", queue.Contains("pending-writes", StringComparison.Ordinal));
                await PlantAsync(broker, queue, key, $"failed copy of {marker}", queue.Contains("pending-writes", StringComparison.Ordinal));
                await PlantAsync(broker, queue, other, "kept after", queue.Contains("pending-writes", StringComparison.Ordinal));
            }
        }

        var erased = (await client.EraseAsync(key.TenantId, key.SessionId, "user request")).Erased!;

        Assert.True(erased.Existed);
        Assert.Equal(QueueCopies.Queues.Count, erased.CopiesDeleted);
        await using (var broker = await Connect(vhost))
        {
            foreach (var queue in QueueCopies.Queues)
            {
                var left = await DrainAsync(broker, queue);
                Assert.DoesNotContain(left, body => body.Contains(marker, StringComparison.Ordinal));
                Assert.Equal(2, left.Count);
                Assert.Contains("kept before", left[0], StringComparison.Ordinal); // the others' order is kept
                Assert.Contains("kept after", left[1], StringComparison.Ordinal);
            }
        }
        Assert.DoesNotContain(marker, await DumpDatabaseAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(marker, await RedisValuesAsync(), StringComparison.Ordinal);
    }

    internal static Task<IConnection> Connect(TestVirtualHost vhost) => TestBroker.ConnectAsync(TestServers.RabbitMqWorker, vhost.Name);

    /// <summary>A MassTransit envelope as a failed turn (or queued write) leaves it, into <paramref name="queue"/> through its exchange.</summary>
    internal static async Task PlantAsync(IConnection connection, string queue, SessionKey key, string text, bool queuedWrite)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        // Declared as MassTransit declares them: the write-behind queue's error and skipped queues copy its single
        // active consumer, which refuses basic.get.
        var arguments = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
        if (queuedWrite)
        {
            arguments["x-single-active-consumer"] = true;
        }
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments);
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true);
        await channel.QueueBindAsync(queue, queue, "");
        object message = queuedWrite
            ? new { turn = new { key = new { tenantId = key.TenantId, sessionId = key.SessionId }, userText = text } }
            : new { tenantId = key.TenantId, sessionId = key.SessionId, turnId = Guid.NewGuid(), text };
        var body = JsonSerializer.SerializeToUtf8Bytes(new { messageId = Guid.NewGuid(), messageType = new[] { "urn:message:SkillForge.Contracts:ProcessChatTurn" }, message });
        await channel.BasicPublishAsync(queue, "", mandatory: true,
            new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true }, body);
    }

    internal static async Task<List<string>> DrainAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        var waiting = (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        var bodies = new List<string>();
        await using var reader = await QueueReader.StartAsync(channel, queue, CancellationToken.None);
        for (var i = 0; i < waiting; i++)
        {
            var message = await reader.NextAsync(CancellationToken.None);
            bodies.Add(Encoding.UTF8.GetString(message.Body.Span));
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false);
        }
        return bodies;
    }

    /// <summary>The test database's data as pg_dump writes it, read as the superuser (past row-level security).</summary>
    private static async Task<string> DumpDatabaseAsync()
    {
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(TestServers.PostgresSuperuser);
        var dump = new ProcessStartInfo("/usr/lib/postgresql/15/bin/pg_dump",
            ["--data-only", "-h", postgres.Host!, "-p", postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", postgres.Username!, postgres.Database!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        dump.Environment["PGPASSWORD"] = postgres.Password;
        using var process = Process.Start(dump)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_dump failed: {await errors}");
        return await output;
    }

    /// <summary>Every field of every SkillForge key in Redis, read as its administrator.</summary>
    private static async Task<string> RedisValuesAsync()
    {
        var admin = TestRedis.Admin;
        var values = new StringBuilder();
        foreach (var endpoint in admin.GetEndPoints())
        {
            await foreach (var redisKey in admin.GetServer(endpoint).KeysAsync(pattern: "skillforge:*"))
            {
                if (await admin.GetDatabase().KeyTypeAsync(redisKey) == RedisType.Hash)
                {
                    foreach (var field in await admin.GetDatabase().HashGetAllAsync(redisKey))
                    {
                        values.Append(field.Value.ToString()).Append('\n');
                    }
                }
            }
        }
        return values.ToString();
    }
}
