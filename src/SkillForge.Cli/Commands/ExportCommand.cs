using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SkillForge.Client;
using Spectre.Console;

namespace SkillForge.Cli.Commands;

/// <summary>
/// <c>export --tenant T (--session S | --user U) [--out FILE]</c>: everything held about a session or a user, as one
/// JSON document (docs/export.md). Sessions are written one at a time as they are read, so a user with many long
/// sessions never sits in memory whole; with <c>--out</c> the file appears only once it is complete.
/// </summary>
internal static class ExportCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliEnvironment environment)
    {
        var tenant = CliOptions.Tenant();
        var session = CliOptions.Session(required: false);
        var user = CliOptions.User();
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Write the document to this file (default: standard output)" };
        var timeout = CliOptions.Timeout(30);
        var command = new Command("export", "Export everything held about a session or a user as JSON (right of access)")
        {
            tenant, session, user, output, timeout,
        };
        command.Validators.Add(result => CliOptions.ExactlyOne(result, session, user));
        command.SetAction(async (result, cancellationToken) =>
        {
            var (t, s, u, file) = (result.GetValue(tenant)!, result.GetValue(session), result.GetValue(user), result.GetValue(output));
            using var bus = await environment.StartBusAsync(result.GetValue(timeout), cancellationToken);
            var client = bus.Services.CreateScope().ServiceProvider.GetRequiredService<SkillForgeClient>();
            var sessionIds = s is not null ? [s] : (await client.ListAllUserSessionsAsync(t, u!, cancellationToken)).Select(x => x.SessionId).ToList();

            // Written beside the target and moved over it at the end: a failed export leaves no half a document.
            var partial = file is null ? null : new FileInfo(file.FullName + ".partial");
            int written;
            await using (var stream = partial is null ? new TextWriterStream(environment.Output) : (Stream)partial.Create())
            {
                written = await CliOutput.LiveAsync(environment, json: file is null,
                    console => console.Progress().StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"Exporting {sessionIds.Count} sessions", maxValue: Math.Max(sessionIds.Count, 1));
                        return await WriteAsync(stream, client, t, u, sessionIds, () => task.Increment(1), cancellationToken);
                    }),
                    () => WriteAsync(stream, client, t, u, sessionIds, () => { }, cancellationToken));
            }
            if (s is not null && written == 0)
            {
                partial?.Delete();
                await environment.Error.WriteLineAsync($"Session {s} of tenant {t} not found; nothing exported.");
                return ExitCodes.RejectedOrNotFound;
            }
            if (partial is not null)
            {
                partial.MoveTo(file!.FullName, overwrite: true);
                await environment.Output.WriteLineAsync($"Exported {written} sessions to {file.FullName}.");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The document, a session at a time; returns how many sessions it holds (one erased meanwhile is left out).</summary>
    private static async Task<int> WriteAsync(Stream stream, SkillForgeClient client, string tenantId, string? userId, IReadOnlyList<string> sessionIds,
        Action sessionDone, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("format", SkillForgeExport.CurrentFormat);
        writer.WriteString("exportedAt", DateTimeOffset.UtcNow);
        writer.WriteString("tenantId", tenantId);
        writer.WriteString("userId", userId);
        writer.WriteStartArray("sessions");
        var written = 0;
        foreach (var sessionId in sessionIds)
        {
            if (await client.ExportSessionWithMessagesAsync(tenantId, sessionId, cancellationToken) is { } session)
            {
                JsonSerializer.Serialize(writer, session, JsonOptions);
                written++;
                await writer.FlushAsync(cancellationToken);
            }
            sessionDone();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
        return written;
    }
}
