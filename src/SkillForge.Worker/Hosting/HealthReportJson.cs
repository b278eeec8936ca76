using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SkillForge.Worker.Hosting;

/// <summary>
/// A health answer an operator can read: the overall status, and each check's name, status, duration and description,
/// so a failing probe says which dependency failed. Descriptions only, never an exception's text, which could name
/// a host or a user. The status code stays ASP.NET Core's (503 when Unhealthy).
/// </summary>
internal static class HealthReportJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, Options);
        writer.WriteStartObject();
        writer.WriteString("status", report.Status.ToString());
        writer.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        writer.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteString("status", entry.Status.ToString());
            writer.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            writer.WriteString("description", entry.Description ?? (entry.Exception is null ? null : $"failed: {entry.Exception.GetType().Name}"));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
