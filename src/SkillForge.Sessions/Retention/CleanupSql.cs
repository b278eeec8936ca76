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

    // Batches address their rows by ctid (a TID scan: no join against the whole table, whose cost would grow with
    // it). A row's ctid cannot change under the batch: the row is locked from the moment it is chosen.
    public const string AbandonBatch = """
        WITH marked AS (
            UPDATE sessions
               SET status = 'abandoned', abandoned_at = @AsOf, updated_at = @AsOf
             WHERE ctid = ANY(ARRAY(
                   SELECT ctid FROM sessions
                    WHERE status = 'active' AND last_activity_at < @IdleCutoff
                    ORDER BY last_activity_at
                    LIMIT @BatchSize
                      FOR UPDATE SKIP LOCKED))
         RETURNING tenant_id, session_id, version
        ), audited AS (
            INSERT INTO session_audit (tenant_id, session_id, event, from_value, to_value, version, occurred_at)
            SELECT tenant_id, session_id, 'status_changed', 'active', 'abandoned', version, @AsOf FROM marked
        )
        SELECT tenant_id AS TenantId, session_id AS SessionId FROM marked
        """;

    /// <summary>
    /// One purge batch, one statement (its own short transaction): lock expired rows, delete them — their turns go
    /// with them (ON DELETE CASCADE, migrations 0004/0005) — and write one audit line a tenant of the batch: its
    /// sessions' ids and their message count (migration 0006). The count is the rows' <c>message_count</c>, which
    /// every append moves with its two messages.
    /// </summary>
    public const string PurgeBatch = """
        WITH gone AS (
            DELETE FROM sessions
             WHERE ctid = ANY(ARRAY(
                   SELECT ctid FROM sessions
                    WHERE (status = 'completed' AND completed_at < @CompletedCutoff)
                       OR (status = 'abandoned' AND abandoned_at < @AbandonedCutoff)
                    LIMIT @BatchSize
                      FOR UPDATE SKIP LOCKED))
         RETURNING tenant_id, session_id, message_count
        ), audited AS (
            INSERT INTO session_audit (tenant_id, session_ids, event, count, occurred_at)
            SELECT tenant_id, array_agg(session_id ORDER BY session_id), 'purged', sum(message_count), @AsOf
              FROM gone
             GROUP BY tenant_id
        )
        SELECT tenant_id AS TenantId, session_id AS SessionId, message_count AS MessageCount FROM gone
        """;

    /// <summary>
    /// One batch of audit lines past their retention (migration 0007's index finds them), oldest first. Unlike the
    /// other batches it takes no row locks first: nobody updates an audit line, runs do not overlap (the advisory
    /// lock), and a lock would need the UPDATE privilege, which the maintenance role must not hold on the audit.
    /// A deletion of audit lines is not itself audited: it would never end.
    /// </summary>
    public const string PurgeAuditBatch = """
        DELETE FROM session_audit
         WHERE ctid = ANY(ARRAY(
               SELECT ctid FROM session_audit
                WHERE occurred_at < @AuditCutoff
                ORDER BY occurred_at
                LIMIT @BatchSize))
        """;

    public const string DryRunCounts = """
        SELECT
            (SELECT count(*) FROM sessions WHERE status = 'active' AND last_activity_at < @IdleCutoff)::int AS MarkedAbandoned,
            (SELECT count(*) FROM sessions
              WHERE (status = 'completed' AND completed_at < @CompletedCutoff)
                 OR (status = 'abandoned' AND abandoned_at < @AbandonedCutoff))::int AS DeletedSessions,
            (SELECT coalesce(sum(message_count), 0) FROM sessions
              WHERE (status = 'completed' AND completed_at < @CompletedCutoff)
                 OR (status = 'abandoned' AND abandoned_at < @AbandonedCutoff))::bigint AS DeletedMessages,
            (SELECT count(*) FROM session_audit WHERE occurred_at < @AuditCutoff) AS DeletedAuditLines
        """;
}
