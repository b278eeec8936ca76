using System.CommandLine;
using MassTransit;
using Npgsql;
using RabbitMQ.Client.Exceptions;
using SkillForge.Cli.Commands;
using SkillForge.Sessions.Hosting;

namespace SkillForge.Cli;

/// <summary>The <c>skillforge</c> command tree; every command returns one of <see cref="ExitCodes"/>.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment)
    {
        var root = new RootCommand("SkillForge.Messaging operations: chat with the agent, read and erase sessions, run cleanup, migrate, redrive.")
        {
            ChatCommand.Create(environment),
            HistoryCommand.Create(environment),
            SessionsCommand.Create(environment),
            EraseCommand.Create(environment),
            HoldCommand.Create(environment),
            RetentionCommand.Create(environment),
            ExportCommand.Create(environment),
            CleanupCommand.Create(environment),
            MigrateCommand.Create(environment),
            RedriveCommand.Create(environment),
        };
        var parsed = root.Parse(args);
        var json = args.Contains("--json");
        if (parsed.Errors.Count > 0)
        {
            return await FailAsync(environment, json, ExitCodes.Usage, [.. parsed.Errors.Select(e => e.Message), "Run with --help for usage."]);
        }
        try
        {
            // System.CommandLine's default handler would print any exception and return 1 ("rejected or not found");
            // infrastructure failures get their own exit code, and a bug keeps its stack trace.
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = environment.Output,
                Error = environment.Error,
                EnableDefaultExceptionHandler = false,
            });
        }
        catch (Exception e) when (e is System.ComponentModel.DataAnnotations.ValidationException or SkillForge.Sessions.Hosting.MissingSettingException)
        {
            // A missing password or connection string: say which setting, as the worker does, and no stack trace.
            return await FailAsync(environment, json, ExitCodes.Usage, [$"error: {e.Message}"]);
        }
        catch (Exception e) when (IsInfrastructure(e))
        {
            return await FailAsync(environment, json, ExitCodes.Infrastructure, [$"error: {e.GetType().Name}: {e.Message}"]);
        }
    }

    /// <summary>Writes what went wrong to standard error (as JSON with <c>--json</c>) and returns <paramref name="exitCode"/>.</summary>
    private static async Task<int> FailAsync(CliEnvironment environment, bool json, int exitCode, IReadOnlyList<string> lines)
    {
        if (json)
        {
            await environment.Error.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new { error = string.Join(" ", lines), exitCode },
                new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
        }
        else
        {
            foreach (var line in lines)
            {
                await environment.Error.WriteLineAsync(line);
            }
        }
        return exitCode;
    }

    private static bool IsInfrastructure(Exception e) => e is NpgsqlException or RequestTimeoutException or RequestFaultException
        or BrokerUnreachableException or OperationInterruptedException or MassTransitException or TimeoutException
        or System.Net.Sockets.SocketException || (e.InnerException is { } inner && IsInfrastructure(inner));
}
