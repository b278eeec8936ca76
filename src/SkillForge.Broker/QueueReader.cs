using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace SkillForge.Broker;

/// <summary>
/// Reads a queue one message at a time through a consumer: a quorum queue with a single active consumer (the
/// write-behind queue's <c>_error</c> queue is declared like its source) refuses <c>basic.get</c>. A prefetch of one
/// keeps at most one message away from the queue. Used by the erasure's walk of the failed-message queues and the
/// CLI's redrive; the caller acknowledges each message.
/// </summary>
public sealed class QueueReader : IAsyncDisposable
{
    /// <summary>A message that does not come within this long is held by another consumer (or was taken by one).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
    private string? _consumerTag;

    private QueueReader(IChannel channel, string queue) => (_channel, _queue) = (channel, queue);

    /// <summary>One message: its tag to acknowledge, its properties and a copy of its body.</summary>
    /// <param name="DeliveryTag">What <c>BasicAckAsync</c> takes.</param>
    /// <param name="Properties">The message's AMQP properties.</param>
    /// <param name="Body">The body, copied out of the client library's buffer.</param>
    public sealed record Delivery(ulong DeliveryTag, IReadOnlyBasicProperties Properties, ReadOnlyMemory<byte> Body);

    /// <summary>Starts consuming <paramref name="queue"/> on <paramref name="channel"/> with a prefetch of one.</summary>
    public static async Task<QueueReader> StartAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        var reader = new QueueReader(channel, queue);
        await channel.BasicQosAsync(0, 1, global: false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        // The body's memory belongs to the client library only for the length of this handler: copy it.
        consumer.ReceivedAsync += (_, e) =>
        {
            reader._deliveries.Writer.TryWrite(new Delivery(e.DeliveryTag, new BasicProperties(e.BasicProperties), e.Body.ToArray()));
            return Task.CompletedTask;
        };
        reader._consumerTag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
        return reader;
    }

    /// <summary>The next message; throws when none comes in time, so an erasure never reports a queue walked that was not.</summary>
    public async Task<Delivery> NextAsync(CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(Patience);
        try
        {
            return await _deliveries.Reader.ReadAsync(patience.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No message came from {_queue} within {Patience.TotalSeconds:F0} s: another consumer holds it.");
        }
    }

    /// <summary>
    /// No more deliveries. Call it before acknowledging the last message wanted: with a prefetch of one, the broker
    /// sends the next only after that acknowledgement, and a message sent and then returned would go to the back.
    /// </summary>
    public async Task StopAsync()
    {
        if (_consumerTag is not null && _channel.IsOpen)
        {
            await _channel.BasicCancelAsync(_consumerTag);
        }
        _consumerTag = null;
    }

    /// <summary>Stops the consumer if <see cref="StopAsync"/> did not; an unacknowledged message goes back to the queue.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();
}
