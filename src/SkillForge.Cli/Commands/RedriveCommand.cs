using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using SkillForge.Broker;
using SkillForge.Contracts.Queues;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>
/// Moves the messages of a queue's <c>_error</c> queue back to the queue, one by one: each is republished with
/// publisher confirms before it is acknowledged, so a crash mid-way duplicates at most one message (and chat
/// turns are idempotent by TurnId) but never loses one. Chat turns come back with this CLI as their response address,
/// and the command says what the worker answered (<see cref="RedriveAnswers"/>).
/// </summary>
internal static class RedriveCommand
{
    public static Command Create(CliEnvironment environment)
    {
        var queue = new Option<string>("--queue") { Description = "The queue whose _error messages go back", DefaultValueFactory = _ => SkillForgeQueues.ChatTurns };
        var yes = CliOptions.Yes();
        var json = CliOptions.Json();
        var wait = CliOptions.Timeout(60); // for the worker's answers to redriven chat turns
        var command = new Command("redrive", "Move messages from a queue's _error queue back to it") { queue, yes, json, wait };
        command.SetAction(async (result, cancellationToken) =>
        {
            var target = result.GetValue(queue)!;
            var source = $"{target}_error";
            var rabbit = environment.Rabbit;
            await using var connection = await BrokerConnection.ConnectAsync(rabbit, "skillforge-cli-redrive", cancellationToken);
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            uint waiting;
            try
            {
                waiting = (await channel.QueueDeclarePassiveAsync(source, cancellationToken)).MessageCount;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                await environment.Output.WriteLineAsync($"There is no queue {source}: nothing ever failed there.");
                return ExitCodes.RejectedOrNotFound;
            }
            if (waiting == 0 || (!result.GetValue(yes) && !await CliOptions.ConfirmAsync(environment, $"Move {waiting} messages from {source} back to {target}?")))
            {
                await environment.Output.WriteLineAsync(waiting == 0 ? $"{source} is empty." : "Nothing moved.");
                return ExitCodes.Ok;
            }

            // Chat turns are requests: their answers come to this CLI, which reports them.
            using var bus = target == SkillForgeQueues.ChatTurns ? await environment.StartBusAsync(result.GetValue(wait), cancellationToken) : null;
            var answers = bus is null ? null : new RedriveAnswers();
            var listening = bus is null ? null : await answers!.ListenAsync(bus.Services.GetRequiredService<IBus>(), rabbit.Username);

            var targetFull = false;
            async Task<int> MoveAsync(Action onMoved)
            {
                // Through a consumer, not basic.get: the write-behind queue's _error queue has a single active consumer.
                await using var reader = await QueueReader.StartAsync(channel, source, cancellationToken);
                var moved = 0;
                while (moved < waiting)
                {
                    var message = await reader.NextAsync(cancellationToken);
                    // The operator resends it: the broker refuses a user_id other than this connection's, and the worker
                    // acts on operator and internal messages only from the sender it names.
                    var properties = new BasicProperties(message.Properties) { UserId = rabbit.Username };
                    // Publisher confirms are on: the publish returns once the broker has the copy, and only then is
                    // the original acknowledged, so a failure in between leaves a duplicate, never a loss.
                    var (body, requestId) = answers?.Readdress(message.Body) ?? (message.Body, null);
                    try
                    {
                        await channel.BasicPublishAsync(SkillForgeQueues.InboundExchange(target), "", mandatory: true, properties, body, cancellationToken);
                    }
                    catch (RabbitMQ.Client.Exceptions.PublishException e) when (!e.IsReturn)
                    {
                        // The target is at its length limit. This message is never acknowledged, so it goes back to
                        // the source queue when the channel closes, with the rest.
                        if (requestId is { } id)
                        {
                            answers!.Withdraw(id);
                        }
                        targetFull = true;
                        return moved;
                    }
                    if (moved == waiting - 1)
                    {
                        await reader.StopAsync(); // no delivery past the ones counted: a message failing again meanwhile stays put
                    }
                    await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
                    moved++;
                    onMoved();
                }
                return moved;
            }

            var moved = await CliOutput.LiveAsync(environment, result.GetValue(json),
                console => console.Progress().StartAsync(async progress =>
                {
                    var bar = progress.AddTask($"{source} → {target}", maxValue: waiting);
                    return await MoveAsync(() => bar.Increment(1));
                }),
                () => MoveAsync(() => { }));
            var answered = answers is null ? null : await answers.WaitAsync(result.GetValue(wait), cancellationToken);
            if (listening is not null)
            {
                await listening.StopAsync(cancellationToken);
            }
            if (result.GetValue(json))
            {
                await CliOutput.JsonAsync(environment, new { source, target, moved, targetFull, answers = answered });
            }
            else
            {
                await environment.Output.WriteLineAsync($"Moved {moved} messages from {source} to {target}.");
                if (targetFull)
                {
                    await environment.Output.WriteLineAsync(
                        $"Stopped: {target} is full (the broker refused a message at the queue's length limit); the other {waiting - moved} "
                        + $"stay in {source}. Run redrive again once the worker has caught up.");
                }
                if (answered is not null)
                {
                    await environment.Output.WriteLineAsync(answered.ToString());
                }
            }
            return targetFull ? ExitCodes.Infrastructure : ExitCodes.Ok;
        });
        return command;
    }
}
