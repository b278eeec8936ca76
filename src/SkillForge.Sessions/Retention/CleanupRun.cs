using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SkillForge.Sessions.Hosting;
using SkillForge.Sessions.Storage;

namespace SkillForge.Sessions.Retention;

/// <summary>
/// Applies the retention policy as of a moment: marks idle active sessions abandoned, purges closed sessions past
/// retention with their messages, then deletes audit lines past theirs, in bounded batches of short transactions.
/// Each tenant's own periods apply where it set them (in the same statements: a join, not a query per tenant), and
/// nothing a legal hold covers is purged.
/// A PostgreSQL advisory lock serialises runs across instances, so a second run on the same tick waits and then
/// finds nothing to do; a crash mid-run loses only the current batch, which the next run picks up. Every batch that
/// changed something, in each of the three phases, is followed by a rest (<see cref="PurgePace"/>): in proportion to
/// what chat is experiencing (the turns this worker answers, which its turn consumer records), or a fixed pause.
/// </summary>
public sealed class CleanupRun(MaintenanceDatabase database, IOptions<RetentionPolicy> policy, ChatLatencies chat, TimeProvider clock,
    ILogger<CleanupRun> logger)
{
    private const long CleanupLockKey = 0x5346_434C_4541; // "SFCLEA"

    private readonly RetentionPolicy _policy = policy.Value;

    /// <param name="evict">Called with each batch of sessions whose cached copy must go (abandoned or purged).</param>
    /// <param name="paced">Given the run's pace before its first batch: for a caller that watches the pace move even
    /// when it stops the run before the end (the benchmark).</param>
    public async Task<CleanupReport> RunAsync(DateTimeOffset asOf, bool dryRun, Func<IReadOnlyList<SessionKey>, Task> evict,
        CancellationToken cancellationToken, Action<PurgePace>? paced = null)
    {
        var started = Stopwatch.GetTimestamp();
        await using var lockConnection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await lockConnection.ExecuteAsync(new CommandDefinition(CleanupSql.Lock, new { Key = CleanupLockKey }, cancellationToken: cancellationToken));
        try
        {
            var cutoffs = await CutoffsAsync(lockConnection, asOf, cancellationToken);
            if (dryRun)
            {
                var counts = await lockConnection.QuerySingleAsync<DryRunCounts>(new CommandDefinition(cutoffs.Sql(CleanupSql.DryRunCounts), cutoffs, cancellationToken: cancellationToken));
                return new CleanupReport(asOf, true, counts.MarkedAbandoned, counts.DeletedSessions, counts.DeletedMessages, counts.DeletedAuditLines,
                    Stopwatch.GetElapsedTime(started))
                { KeptByHold = counts.KeptByHold };
            }

            var pacer = new Pacer(clock, lockConnection, chat, await PaceAsync(lockConnection, cancellationToken));
            paced?.Invoke(pacer.Pace);
            var abandoned = await AbandonIdleAsync(cutoffs, evict, pacer, cancellationToken);
            var (sessions, messages) = await PurgeExpiredAsync(cutoffs, evict, pacer, cancellationToken);
            var keptByHold = await lockConnection.QuerySingleAsync<int>(new CommandDefinition(cutoffs.Sql(CleanupSql.KeptByHold), cutoffs, cancellationToken: cancellationToken));
            var auditLines = await PurgeAuditAsync(cutoffs, pacer, cancellationToken);
            var pace = pacer.Pace;
            if (pace is { Baseline: { } baseline, Steps.Count: > 0 })
            {
                RetentionLog.Paced(logger, pace.Signal, baseline.TotalMilliseconds, pace.Target.TotalMilliseconds, pace.Steps.Count, pace.BackOffs,
                    pace.NotCuredByResting, pace.Steps.Sum(step => step.Pause.TotalSeconds), pace.Steps.Min(step => step.Sessions));
            }
            return new CleanupReport(asOf, false, abandoned, sessions, messages, auditLines, Stopwatch.GetElapsedTime(started))
            {
                KeptByHold = keptByHold,
                Pace = pace.Steps,
                PaceBaseline = pace.Baseline,
                PaceTarget = pace.IsAdaptive ? pace.Target : null,
                PacedBy = pace.Signal,
                PaceChat = pace.RunChat,
            };
        }
        finally
        {
            await lockConnection.ExecuteAsync(new CommandDefinition(CleanupSql.Unlock, new { Key = CleanupLockKey }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<int> AbandonIdleAsync(Cutoffs cutoffs, Func<IReadOnlyList<SessionKey>, Task> evict, Pacer pacer, CancellationToken cancellationToken)
    {
        var total = 0;
        await InBatchesAsync(async (connection, size) =>
        {
            var marked = (await connection.QueryAsync<SessionKeyRow>(new CommandDefinition(cutoffs.Sql(CleanupSql.AbandonBatch), cutoffs.Sized(size),
                    cancellationToken: cancellationToken)))
                .Select(r => r.ToKey()).ToList();
            if (marked.Count == 0)
            {
                return false;
            }
            total += marked.Count;
            await evict(marked);
            RetentionLog.BatchAbandoned(logger, marked.Count, total);
            return true;
        }, pacer, cancellationToken);
        return total;
    }

    private async Task<(int Sessions, long Messages)> PurgeExpiredAsync(Cutoffs cutoffs, Func<IReadOnlyList<SessionKey>, Task> evict, Pacer pacer,
        CancellationToken cancellationToken)
    {
        var sessions = 0;
        var messages = 0L;
        await InBatchesAsync(async (connection, size) =>
        {
            var batch = (await connection.QueryAsync<PurgedRow>(new CommandDefinition(cutoffs.Sql(CleanupSql.PurgeBatch), cutoffs.Sized(size),
                cancellationToken: cancellationToken))).ToList();
            if (batch.Count == 0)
            {
                return false;
            }
            var deletedMessages = batch.Sum(r => (long)r.MessageCount);
            sessions += batch.Count;
            messages += deletedMessages;
            await evict(batch.Select(r => r.ToKey()).ToList());
            RetentionLog.BatchPurged(logger, batch.Count, deletedMessages, sessions);
            return true;
        }, pacer, cancellationToken);
        return (sessions, messages);
    }

    private async Task<long> PurgeAuditAsync(Cutoffs cutoffs, Pacer pacer, CancellationToken cancellationToken)
    {
        var total = 0L;
        await InBatchesAsync(async (connection, size) =>
        {
            var deleted = await connection.ExecuteAsync(new CommandDefinition(cutoffs.Sql(CleanupSql.PurgeAuditBatch), cutoffs.Sized(size),
                cancellationToken: cancellationToken));
            if (deleted == 0)
            {
                return false;
            }
            total += deleted;
            RetentionLog.BatchAuditPurged(logger, deleted, total);
            return true;
        }, pacer, cancellationToken);
        return total;
    }

    /// <summary>
    /// Runs <paramref name="batch"/> with as many rows as <paramref name="pacer"/> allows, each time on a pooled
    /// connection of its own, until it finds nothing left (it returns false), resting after every batch that changed
    /// something as <paramref name="pacer"/> says.
    /// </summary>
    private async Task InBatchesAsync(Func<NpgsqlConnection, int, Task<bool>> batch, Pacer pacer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
            {
                if (!await batch(connection, pacer.Pace.BatchSize))
                {
                    return;
                }
            }
            await pacer.RestAsync(started, cancellationToken);
        }
    }

    /// <summary>How long before the run chat's turns are taken as its normal, and how many that needs at the least.</summary>
    private static readonly TimeSpan ChatBaselineWindow = TimeSpan.FromSeconds(10);

    private const int ChatBaselineTurns = 100;

    /// <summary>
    /// The run's pace: by chat's own turns when this process served enough of them just before the run (their p99 is
    /// then the baseline), else by the commit probe; fixed when the policy says so.
    /// </summary>
    private async Task<PurgePace> PaceAsync(NpgsqlConnection probes, CancellationToken cancellationToken)
    {
        if (_policy.Pacing == PurgePacing.Fixed)
        {
            return new PurgePace(_policy, baseline: null);
        }
        var since = Stopwatch.GetTimestamp() - (long)(ChatBaselineWindow.TotalSeconds * Stopwatch.Frequency);
        return chat.Percentile(since, 99, ChatBaselineTurns) is { } p99
            ? new PurgePace(_policy, p99, PaceSignal.ChatTurns)
            : new PurgePace(_policy, await CommitLatencyAsync(probes, BaselineProbes, cancellationToken));
    }

    private const int BaselineProbes = 9;
    private const int ProbesAfterBatch = 3;

    /// <summary>The median of <paramref name="samples"/> commits on <paramref name="connection"/>: one alone is noisy.</summary>
    private static async Task<TimeSpan> CommitLatencyAsync(NpgsqlConnection connection, int samples, CancellationToken cancellationToken)
    {
        var measured = new TimeSpan[samples];
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await connection.ExecuteAsync(new CommandDefinition(CleanupSql.CommitProbe, cancellationToken: cancellationToken));
            measured[i] = Stopwatch.GetElapsedTime(started);
        }
        Array.Sort(measured);
        return measured[samples / 2];
    }

    /// <summary>
    /// The run's rests: chat's turns while each batch ran and rested, or probes on the run's own lock connection,
    /// which is idle between batches anyway.
    /// </summary>
    private sealed class Pacer(TimeProvider clock, NpgsqlConnection probes, ChatLatencies chat, PurgePace pace)
    {
        public PurgePace Pace => pace;

        /// <param name="started">When the batch began (a <see cref="Stopwatch"/> timestamp).</param>
        public async Task RestAsync(long started, CancellationToken cancellationToken)
        {
            var ended = Stopwatch.GetTimestamp();
            var batch = Stopwatch.GetElapsedTime(started, ended);
            var pause = pace.Signal switch
            {
                PaceSignal.ChatTurns => pace.After(batch, chat.Between(started, ended, pace.Target)),
                PaceSignal.CommitProbe => pace.After(batch, await CommitLatencyAsync(probes, ProbesAfterBatch, cancellationToken)),
                _ => pace.After(batch, TimeSpan.Zero),
            };
            if (pause <= TimeSpan.Zero)
            {
                return;
            }
            var restStarted = Stopwatch.GetTimestamp();
            await Task.Delay(pause, clock, cancellationToken);
            if (pace.Signal == PaceSignal.ChatTurns)
            {
                pace.AfterRest(chat.Between(restStarted, Stopwatch.GetTimestamp(), pace.Target));
            }
            else if (pace.Signal == PaceSignal.CommitProbe)
            {
                pace.AfterRest(await CommitLatencyAsync(probes, ProbesAfterBatch, cancellationToken));
            }
        }
    }

    /// <summary>
    /// The run's cutoffs: the product's, and for each the latest cutoff of any tenant (from the shortest period
    /// any tenant set, or the product's when that is shorter), which bounds the scans. One query, whatever the number of tenants.
    /// </summary>
    private async Task<Cutoffs> CutoffsAsync(NpgsqlConnection connection, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var shortest = await connection.QuerySingleAsync<ShortestPeriods>(new CommandDefinition(CleanupSql.ShortestTenantPeriods, cancellationToken: cancellationToken));
        DateTime Latest(TimeSpan product, TimeSpan? tenants) => (asOf - (tenants < product ? tenants.Value : product)).UtcDateTime;
        return new Cutoffs(asOf.UtcDateTime,
            Latest(_policy.AbandonAfterIdle, shortest.AbandonAfterIdle), Latest(_policy.DeleteCompletedAfter, shortest.DeleteCompletedAfter),
            Latest(_policy.DeleteAbandonedAfter, shortest.DeleteAbandonedAfter), Latest(_policy.DeleteAuditAfter, shortest.DeleteAuditAfter),
            (asOf - _policy.AbandonAfterIdle).UtcDateTime, (asOf - _policy.DeleteCompletedAfter).UtcDateTime,
            (asOf - _policy.DeleteAbandonedAfter).UtcDateTime, (asOf - _policy.DeleteAuditAfter).UtcDateTime, _policy.BatchSize)
            .WithTenantPeriods(shortest.AbandonAfterIdle is not null || shortest.DeleteCompletedAfter is not null
                               || shortest.DeleteAbandonedAfter is not null || shortest.DeleteAuditAfter is not null);
    }

    /// <summary>The run's moment, the latest cutoffs of any tenant and the product's own cutoffs, as Dapper parameters (UTC).</summary>
    private sealed record Cutoffs(DateTime AsOf, DateTime IdleCutoff, DateTime CompletedCutoff, DateTime AbandonedCutoff, DateTime AuditCutoff,
        DateTime ProductIdleCutoff, DateTime ProductCompletedCutoff, DateTime ProductAbandonedCutoff, DateTime ProductAuditCutoff, int BatchSize)
    {
        // Some tenant has periods of its own (else the statements skip the join). A field: Dapper binds every property.
        private bool _tenantPeriods;

        public Cutoffs WithTenantPeriods(bool tenantPeriods)
        {
            _tenantPeriods = tenantPeriods;
            return this;
        }

        public string Sql(string statement) => _tenantPeriods ? statement : CleanupSql.WithoutTenantPeriods(statement);

        /// <summary>The same cutoffs for a batch of at most <paramref name="batchSize"/> rows.</summary>
        public Cutoffs Sized(int batchSize) => this with { BatchSize = batchSize };
    }

    private sealed class ShortestPeriods
    {
        public TimeSpan? AbandonAfterIdle { get; init; }
        public TimeSpan? DeleteCompletedAfter { get; init; }
        public TimeSpan? DeleteAbandonedAfter { get; init; }
        public TimeSpan? DeleteAuditAfter { get; init; }
    }

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
        public int KeptByHold { get; init; }
    }
}
