namespace SkillForge.Sessions.Retention;

/// <summary>
/// Statements of <see cref="CleanupRun"/>. They run as the maintenance role (all tenants). Batches lock their rows
/// with <c>FOR UPDATE SKIP LOCKED</c>: a session a chat turn is writing right now is left for the next batch or
/// run, and two runs never take the same rows.
/// </summary>
internal static class CleanupSql
{
    public const string Lock = "SELECT pg_advisory_lock(@Key)";

    public const string Unlock = "SELECT pg_advisory_unlock(@Key)";

    /// <summary>
    /// The pacing's probe: a one-row write, so that its commit is a WAL flush like a chat turn's append, waiting on the
    /// disk and on every other writer (a commit that wrote nothing returns without one).
    /// </summary>
    public const string CommitProbe = "UPDATE cleanup_pace_probe SET probed_at = clock_timestamp() WHERE id = 1";

    // A tenant's cutoff where it set a period (r: its tenant_retention row, joined), else the product's (a parameter,
    // computed once). The period as seconds, not as the interval itself: subtracting "30 days" from a timestamptz counts
    // calendar days in the session's time zone, which a daylight-saving change would make 23 or 25 hours long.
    private static string Cutoff(string column, string productCutoff) =>
        $"COALESCE(@AsOf - make_interval(secs => extract(epoch FROM r.{column})), @{productCutoff})";

    // Each query first bounds its column by the latest cutoff of any tenant (a constant, so the index on that column
    // serves the scan), then applies the row's own tenant's cutoff.
    private static readonly string Idle =
        $"s.status = 'active' AND s.last_activity_at < @IdleCutoff AND s.last_activity_at < {Cutoff("abandon_after_idle", "ProductIdleCutoff")}";

    private static readonly string Expired = $"""
        ((s.status = 'completed' AND s.completed_at < @CompletedCutoff AND s.completed_at < {Cutoff("delete_completed_after", "ProductCompletedCutoff")})
          OR (s.status = 'abandoned' AND s.abandoned_at < @AbandonedCutoff AND s.abandoned_at < {Cutoff("delete_abandoned_after", "ProductAbandonedCutoff")}))
        """;

    /// <summary>
    /// A hold in force on session s: on it, on its user, or on its whole tenant. Asked per row only when some hold is in
    /// force at all (the first test runs once a statement), so a database without holds pays nothing for them.
    /// </summary>
    private const string Held = """
        (EXISTS (SELECT 1 FROM legal_holds WHERE released_at IS NULL) AND EXISTS (SELECT 1 FROM legal_holds h
                 WHERE h.tenant_id = s.tenant_id AND h.released_at IS NULL
                   AND (h.session_id = s.session_id OR h.user_id = s.user_id OR (h.session_id IS NULL AND h.user_id IS NULL))))
        """;

    private const string WithTenantPeriods = "sessions s LEFT JOIN tenant_retention r ON r.tenant_id = s.tenant_id";

    private const string AuditWithTenantPeriods = "session_audit a LEFT JOIN tenant_retention r ON r.tenant_id = a.tenant_id";

    /// <summary>
    /// <paramref name="statement"/> for a run in which no tenant has periods of its own: the join becomes one row of
    /// nulls, which the planner folds away, so such a run costs what it did before tenants could have periods.
    /// </summary>
    public static string WithoutTenantPeriods(string statement)
    {
        const string nulls = "CROSS JOIN (SELECT NULL::interval AS abandon_after_idle, NULL::interval AS delete_completed_after, " +
                             "NULL::interval AS delete_abandoned_after, NULL::interval AS delete_audit_after) r";
        return statement.Replace(WithTenantPeriods, "sessions s " + nulls, StringComparison.Ordinal)
            .Replace(AuditWithTenantPeriods, "session_audit a " + nulls, StringComparison.Ordinal);
    }

    /// <summary>The shortest period any tenant has set, a column each (null where none has set one).</summary>
    public const string ShortestTenantPeriods = """
        SELECT min(abandon_after_idle) AS AbandonAfterIdle, min(delete_completed_after) AS DeleteCompletedAfter,
               min(delete_abandoned_after) AS DeleteAbandonedAfter, min(delete_audit_after) AS DeleteAuditAfter
          FROM tenant_retention
        """;

    // Batches address their rows by ctid (a TID scan: no join against the whole table, whose cost would grow with
    // it). A row's ctid cannot change under the batch: the row is locked from the moment it is chosen. A legal hold
    // does not stop abandonment: marking a session abandoned changes none of its content.
    public static readonly string AbandonBatch = $"""
        WITH marked AS (
            UPDATE sessions
               SET status = 'abandoned', abandoned_at = @AsOf, updated_at = @AsOf
             WHERE ctid = ANY(ARRAY(
                   SELECT s.ctid FROM {WithTenantPeriods}
                    WHERE {Idle}
                    ORDER BY s.last_activity_at
                    LIMIT @BatchSize
                      FOR UPDATE OF s SKIP LOCKED))
         RETURNING tenant_id, session_id, version
        ), audited AS (
            INSERT INTO session_audit (tenant_id, session_id, event, from_value, to_value, version, occurred_at)
            SELECT tenant_id, session_id, 'status_changed', 'active', 'abandoned', version, @AsOf FROM marked
        )
        SELECT tenant_id AS TenantId, session_id AS SessionId FROM marked
        """;

    /// <summary>
    /// One purge batch, one statement (its own short transaction): lock expired rows that no legal hold covers, delete
    /// them — their turns go with them (ON DELETE CASCADE, migrations 0004/0005) — and write one audit line a tenant
    /// of the batch: its sessions' ids and their message count (migration 0006). The count is the rows'
    /// <c>message_count</c>, which every append moves with its two messages.
    /// </summary>
    public static readonly string PurgeBatch = $"""
        WITH gone AS (
            DELETE FROM sessions
             WHERE ctid = ANY(ARRAY(
                   SELECT s.ctid FROM {WithTenantPeriods}
                    WHERE {Expired} AND NOT {Held}
                    LIMIT @BatchSize
                      FOR UPDATE OF s SKIP LOCKED))
         RETURNING tenant_id, session_id, message_count
        ), audited AS (
            INSERT INTO session_audit (tenant_id, session_ids, event, count, occurred_at)
            SELECT tenant_id, array_agg(session_id ORDER BY session_id), 'purged', sum(message_count), @AsOf
              FROM gone
             GROUP BY tenant_id
        )
        SELECT tenant_id AS TenantId, session_id AS SessionId, message_count AS MessageCount FROM gone
        """;

    /// <summary>Sessions past their retention that a legal hold keeps (after a purge, all that is left of them).</summary>
    public static readonly string KeptByHold = $"SELECT count(*)::int FROM {WithTenantPeriods} WHERE {Expired} AND {Held}";

    private static readonly string AuditExpired =
        $"a.occurred_at < @AuditCutoff AND a.occurred_at < {Cutoff("delete_audit_after", "ProductAuditCutoff")}";

    /// <summary>A hold in force on what audit line a is about.</summary>
    private const string AuditHeld = """
        (EXISTS (SELECT 1 FROM legal_holds WHERE released_at IS NULL) AND EXISTS (SELECT 1 FROM legal_holds h
                 WHERE h.tenant_id = a.tenant_id AND h.released_at IS NULL
                   AND ((h.session_id IS NULL AND h.user_id IS NULL) OR h.session_id = a.session_id
                        OR (h.user_id IS NOT NULL AND EXISTS (
                            SELECT 1 FROM sessions s
                             WHERE s.tenant_id = a.tenant_id AND s.session_id = a.session_id AND s.user_id = h.user_id)))))
        """;

    /// <summary>
    /// One batch of audit lines past their tenant's retention (migration 0007's index finds them), oldest first.
    /// Lines of what a legal hold covers stay: the whole tenant's, the held session's, and those of the sessions a held
    /// user has. Unlike the other batches it takes no row locks first: nobody updates an audit line, runs do not overlap
    /// (the advisory lock), and a lock would need the UPDATE privilege, which the maintenance role must not hold on the
    /// audit. A deletion of audit lines is not itself audited: it would never end.
    /// </summary>
    public static readonly string PurgeAuditBatch = $"""
        DELETE FROM session_audit
         WHERE ctid = ANY(ARRAY(
               SELECT a.ctid FROM {AuditWithTenantPeriods}
                WHERE {AuditExpired} AND NOT {AuditHeld}
                ORDER BY a.occurred_at
                LIMIT @BatchSize))
        """;

    public static readonly string DryRunCounts = $"""
        SELECT
            (SELECT count(*) FROM {WithTenantPeriods} WHERE {Idle})::int AS MarkedAbandoned,
            (SELECT count(*) FROM {WithTenantPeriods} WHERE {Expired} AND NOT {Held})::int AS DeletedSessions,
            (SELECT coalesce(sum(s.message_count), 0) FROM {WithTenantPeriods} WHERE {Expired} AND NOT {Held})::bigint AS DeletedMessages,
            (SELECT count(*) FROM {WithTenantPeriods} WHERE {Expired} AND {Held})::int AS KeptByHold,
            (SELECT count(*) FROM {AuditWithTenantPeriods}
              WHERE {AuditExpired} AND NOT {AuditHeld}) AS DeletedAuditLines
        """;
}
