using System.Text.Json;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SkillForge.Broker;
using SkillForge.Contracts.Queues;
using SkillForge.Sessions.Storage;
using SkillForge.Worker.WriteBehind;

namespace SkillForge.Worker.Erasure;

/// <summary>
/// Removes an erased session's messages from the queues where failed and dead messages wait for a person
/// (<c>_error</c>, <c>_skipped</c>, the dead-letter queue): a failed turn there holds the user's text. Each queue is
/// walked once: a message of the session is acknowledged (gone), any other is published again to the queue's own
/// exchange with confirms before its original is acknowledged, so the others keep their order and none is lost.
/// </summary>
public sealed class QueueCopies(IOptions<RabbitMqOptions> options) : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> Queues =
    [
        $"{SkillForgeQueues.ChatTurns}_error",
        $"{SkillForgeQueues.ChatTurns}_skipped",
        $"{WriteBehindQueue.Name}_error",
        $"{WriteBehindQueue.Name}_skipped",
        "skillforge-dead-letter",
    ];

    // One walk at a time in this process: two walking the same queue would put each other's messages out of order.
    private readonly SemaphoreSlim _walk = new(1, 1);
    private IConnection? _connection;

    /// <summary>How many messages of these sessions were removed from those queues (each queue walked once for all of them).</summary>
    public async Task<int> RemoveAsync(IReadOnlySet<SessionKey> keys, CancellationToken cancellationToken)
    {
        await _walk.WaitAsync(cancellationToken);
        try
        {
            var removed = 0;
            foreach (var queue in Queues)
            {
                removed += await RemoveFromAsync(await ConnectAsync(cancellationToken), queue, keys, cancellationToken);
            }
            return removed;
        }
        finally
        {
            _walk.Release();
        }
    }

    private static async Task<int> RemoveFromAsync(IConnection connection, string queue, IReadOnlySet<SessionKey> keys, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        uint waiting;
        try
        {
            waiting = (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0; // no such queue: nothing ever failed there
        }
        if (waiting == 0)
        {
            return 0;
        }
        // The queue's own exchange, as MassTransit declares it for error and skipped queues (and the broker's
        // definitions for the dead-letter queue): what is kept goes back through it.
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, queue, "", cancellationToken: cancellationToken);
        var removed = 0;
        await using var deliveries = await QueueReader.StartAsync(channel, queue, cancellationToken);
        for (var i = 0; i < waiting; i++)
        {
            var message = await deliveries.NextAsync(cancellationToken);
            if (Names(message.Body) is { } named && keys.Contains(named))
            {
                removed++;
            }
            else
            {
                // Its sender's user_id cannot be sent again on this connection (the broker refuses another user's);
                // the message goes back unidentified, as a redrive re-stamps it anyway.
                var properties = new BasicProperties(message.Properties) { UserId = null };
                await channel.BasicPublishAsync(queue, "", mandatory: true, properties, message.Body, cancellationToken);
            }
            if (i == waiting - 1)
            {
                await deliveries.StopAsync(); // before the last acknowledgement: the copies just sent back stay where they are
            }
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
        }
        return removed;
    }

    /// <summary>The session a MassTransit envelope's message names (a request's ids, or a queued write's key), or null.</summary>
    internal static SessionKey? Names(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var ids = message.TryGetProperty("turn", out var turn) && turn.ValueKind == JsonValueKind.Object && turn.TryGetProperty("key", out var k) ? k : message;
            return ids.ValueKind == JsonValueKind.Object
                && ids.TryGetProperty("tenantId", out var tenant) && tenant.ValueKind == JsonValueKind.String
                && ids.TryGetProperty("sessionId", out var session) && session.ValueKind == JsonValueKind.String
                ? new SessionKey(tenant.GetString()!, session.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null; // not a MassTransit envelope (a poison message): it names no session
        }
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        return _connection = await BrokerConnection.ConnectAsync(options.Value, "skillforge-worker-erasure", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _walk.Dispose();
    }
}
