using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SkillForge.Sessions.Retention;

/// <summary>
/// Applies the retention policy as of a moment: marks idle active sessions abandoned, purges closed sessions past
/// retention with their messages, then deletes audit lines past theirs, in bounded batches of short transactions.
/// A PostgreSQL advisory lock serialises runs across instances, so a second run on the same tick waits and then
/// finds nothing to do; a crash mid-run loses only the current batch, which the next run picks up. Every batch that
/// changed something, in each of the three phases, is followed by <see cref="RetentionPolicy.PauseBetweenBatches"/>.
/// </summary>
public sealed class CleanupRun(MaintenanceDatabase database, IOptions<RetentionPolicy> policy, TimeProvider clock, ILogger<CleanupRun> logger)
{
    private const long CleanupLockKey = 0x5346_434C_4541; // "SFCLEA"

    private readonly RetentionPolicy _policy = policy.Value;

    /// <param name="evict">Called with each batch of sessions whose cached copy must go (abandoned or purged).</param>
    public async Task<CleanupReport> RunAsync(DateTimeOffset asOf, bool dryRun, Func<IReadOnlyList<SessionKey>, Task> evict,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var cutoffs = new Cutoffs(asOf.UtcDateTime, (asOf - _policy.AbandonAfterIdle).UtcDateTime,
            (asOf - _policy.DeleteCompletedAfter).UtcDateTime, (asOf - _policy.DeleteAbandonedAfter).UtcDateTime,
            (asOf - _policy.DeleteAuditAfter).UtcDateTime, _policy.BatchSize);

        await using var lockConnection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await lockConnection.ExecuteAsync(new CommandDefinition(CleanupSql.Lock, new { Key = CleanupLockKey }, cancellationToken: cancellationToken));
        try
        {
            if (dryRun)
            {
                var counts = await lockConnection.QuerySingleAsync<DryRunCounts>(new CommandDefinition(CleanupSql.DryRunCounts, cutoffs, cancellationToken: cancellationToken));
                return new CleanupReport(asOf, true, counts.MarkedAbandoned, counts.DeletedSessions, counts.DeletedMessages, counts.DeletedAuditLines,
                    Stopwatch.GetElapsedTime(started));
            }

            var abandoned = await AbandonIdleAsync(cutoffs, evict, cancellationToken);
            var (sessions, messages) = await PurgeExpiredAsync(cutoffs, evict, cancellationToken);
            var auditLines = await PurgeAuditAsync(cutoffs, cancellationToken);
            return new CleanupReport(asOf, false, abandoned, sessions, messages, auditLines, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            await lockConnection.ExecuteAsync(new CommandDefinition(CleanupSql.Unlock, new { Key = CleanupLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<int> AbandonIdleAsync(Cutoffs cutoffs, Func<IReadOnlyList<SessionKey>, Task> evict, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            var marked = (await connection.QueryAsync<SessionKeyRow>(new CommandDefinition(CleanupSql.AbandonBatch, cutoffs, cancellationToken: cancellationToken)))
                .Select(r => r.ToKey()).ToList();
            if (marked.Count == 0)
            {
                return total;
            }
            total += marked.Count;
            await evict(marked);
            RetentionLog.BatchAbandoned(logger, marked.Count, total);
            await PauseAsync(cancellationToken);
        }
    }

    private async Task<(int Sessions, long Messages)> PurgeExpiredAsync(Cutoffs cutoffs, Func<IReadOnlyList<SessionKey>, Task> evict, CancellationToken cancellationToken)
    {
        var sessions = 0;
        var messages = 0L;
        while (true)
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            var batch = (await connection.QueryAsync<PurgedRow>(new CommandDefinition(CleanupSql.PurgeBatch, cutoffs, cancellationToken: cancellationToken))).ToList();
            if (batch.Count == 0)
            {
                return (sessions, messages);
            }
            var deletedMessages = batch.Sum(r => (long)r.MessageCount);
            sessions += batch.Count;
            messages += deletedMessages;
            await evict(batch.Select(r => r.ToKey()).ToList());
            RetentionLog.BatchPurged(logger, batch.Count, deletedMessages, sessions);
            await PauseAsync(cancellationToken);
        }
    }

    private async Task<long> PurgeAuditAsync(Cutoffs cutoffs, CancellationToken cancellationToken)
    {
        var total = 0L;
        while (true)
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(CleanupSql.PurgeAuditBatch, cutoffs, cancellationToken: cancellationToken));
            if (deleted == 0)
            {
                return total;
            }
            total += deleted;
            RetentionLog.BatchAuditPurged(logger, deleted, total);
            await PauseAsync(cancellationToken);
        }
    }

    private Task PauseAsync(CancellationToken cancellationToken) =>
        _policy.PauseBetweenBatches > TimeSpan.Zero ? Task.Delay(_policy.PauseBetweenBatches, clock, cancellationToken) : Task.CompletedTask;

    /// <summary>The run's moment and its cutoffs, as Dapper parameters (UTC).</summary>
    private sealed record Cutoffs(DateTime AsOf, DateTime IdleCutoff, DateTime CompletedCutoff, DateTime AbandonedCutoff, DateTime AuditCutoff,
        int BatchSize);

    private class SessionKeyRow
    {
        public string TenantId { get; init; } = "";
        public string SessionId { get; init; } = "";

        public SessionKey ToKey() => new(TenantId, SessionId);
    }

    private sealed class PurgedRow : SessionKeyRow
    {
        public int MessageCount { get; init; }
    }

    private sealed class DryRunCounts
    {
        public int MarkedAbandoned { get; init; }
        public int DeletedSessions { get; init; }
        public long DeletedMessages { get; init; }
        public long DeletedAuditLines { get; init; }
    }
}
