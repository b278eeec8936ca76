using Dapper;
using Npgsql;
using RabbitMQ.Client;
using SkillForge.Harness;

namespace SkillForge.Chaos;

/// <summary>What a scenario is judged by: every answered turn against PostgreSQL, queue depths and the worker's metrics.</summary>
internal static partial class ChaosSuite
{
    /// <summary>Every answered turn against PostgreSQL, read as the maintenance role (all of the tenant's rows).</summary>
    /// <param name="database">The maintenance role's connection string; null for the main server's.</param>
    private static async Task<(int Lost, int Duplicated, int OutOfOrder)> VerifyAsync(string? database, string tenant, List<Answered> answered)
    {
        // Unpooled: a pooled connection from before a PostgreSQL restart would be dead on its first query.
        await using var connection = new NpgsqlConnection((database ?? ToolEnvironment.Get("ConnectionStrings__PostgresMaintenance",
            "Host=127.0.0.1;Port=5432;Username=skillforge_maintenance;Password=skillforge_maintenance;Database=skillforge")) + ";Pooling=false");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await connection.OpenAsync();
                break;
            }
            catch (NpgsqlException) when (attempt < 30)
            {
                await Task.Delay(1000);
            }
        }
        // One row a turn (migration 0005): turn n of a session is the one that moved it to version n.
        var rows = (await connection.QueryAsync<(string Session, long TurnNo, Guid TurnId)>(
            "SELECT session_id, turn_no, turn_id FROM turns WHERE tenant_id = @tenant ORDER BY session_id, turn_no", new { tenant })).ToList();
        var byTurn = rows.GroupBy(r => r.TurnId).ToDictionary(g => g.Key, g => g.ToList());
        var lost = answered.Count(a => !byTurn.TryGetValue(a.TurnId, out var stored) || stored.All(s => s.TurnNo != a.Version));
        var duplicated = byTurn.Values.Count(g => g.Count != 1);
        var outOfOrder = rows.GroupBy(r => r.Session).Count(session => session.Select((r, i) => r.TurnNo != i + 1).Any(bad => bad));
        return (lost, duplicated, outOfOrder);
    }

    /// <summary>Messages in a queue (0 when it does not exist yet: MassTransit declares _error/_skipped at first use).</summary>
    private static async Task<uint> CountAsync(IConnection connection, string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>The worker's <c>skillforge_write_behind_total{stage="queued"}</c>, read from its /metrics.</summary>
    private static async Task<long> WriteBehindQueuedAsync(int port) =>
        await MetricSumAsync(port, "skillforge_write_behind_total{", "stage=\"queued\"");

    /// <summary>The sum of a metric's series (those whose line holds <paramref name="label"/>, when given) on a worker's /metrics.</summary>
    private static async Task<long> MetricSumAsync(int port, string prefix, string? label)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        return metrics.Split('\n')
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal) && (label is null || line.Contains(label, StringComparison.Ordinal)))
            .Sum(line => (long)double.Parse(line[(line.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class ChaosCheckException(string message) : Exception(message);
}
