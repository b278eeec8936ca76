using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SkillForge.Sessions.Hosting;

namespace SkillForge.Worker.Hosting;

/// <summary>PostgreSQL is the source of truth: without it the worker is not ready.</summary>
internal sealed class PostgresHealthCheck(SessionDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL is unreachable", e);
        }
    }
}
