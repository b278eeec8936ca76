namespace SkillForge.Sessions.Retention;

/// <summary>
/// Statements of <see cref="CleanupRun"/>. They run as the table owner (all tenants). Batches lock their rows
/// with <c>FOR UPDATE SKIP LOCKED</c>: a session a chat turn is writing right now is left for the next batch or
/// run, and two runs never take the same rows.
/// </summary>
internal static class CleanupSql
{
    public const string Lock = "SELECT pg_advisory_lock(@Key)";

    public const string Unlock = "SELECT pg_advisory_unlock(@Key)";

    public const string AbandonBatch = """
        WITH batch AS (
            SELECT tenant_id, session_id FROM sessions
             WHERE status = 'active' AND last_activity_at < @IdleCutoff
             ORDER BY last_activity_at
             LIMIT @BatchSize
               FOR UPDATE SKIP LOCKED
        ), marked AS (
            UPDATE sessions s
               SET status = 'abandoned', abandoned_at = @AsOf, updated_at = @AsOf
              FROM batch b
             WHERE s.tenant_id = b.tenant_id AND s.session_id = b.session_id
         RETURNING s.tenant_id, s.session_id, s.version
        ), audited AS (
            INSERT INTO session_audit (tenant_id, session_id, event, from_value, to_value, version, occurred_at)
            SELECT tenant_id, session_id, 'status_changed', 'active', 'abandoned', version, @AsOf FROM marked
        )
        SELECT tenant_id AS TenantId, session_id AS SessionId FROM marked
        """;

    /// <summary>Step 1 of a purge batch (inside a transaction): lock the expired rows this batch takes.</summary>
    public const string SelectExpiredBatch = """
        SELECT tenant_id AS TenantId, session_id AS SessionId FROM sessions
         WHERE (status = 'completed' AND completed_at < @CompletedCutoff)
            OR (status = 'abandoned' AND abandoned_at < @AbandonedCutoff)
         LIMIT @BatchSize
           FOR UPDATE SKIP LOCKED
        """;

    /// <summary>Step 2, same transaction: messages first (they reference the rows), then rows, then one audit line a session.</summary>
    public const string PurgeBatch = """
        WITH keys AS (
            SELECT * FROM unnest(@Tenants::text[], @Sessions::text[]) AS k(tenant_id, session_id)
        ), gone_messages AS (
            DELETE FROM messages m USING keys k
             WHERE m.tenant_id = k.tenant_id AND m.session_id = k.session_id
         RETURNING m.tenant_id, m.session_id
        ), counted AS (
            SELECT k.tenant_id, k.session_id, count(g.session_id) AS messages
              FROM keys k LEFT JOIN gone_messages g ON g.tenant_id = k.tenant_id AND g.session_id = k.session_id
             GROUP BY k.tenant_id, k.session_id
        ), audited AS (
            INSERT INTO session_audit (tenant_id, session_id, event, count, occurred_at)
            SELECT tenant_id, session_id, 'purged', messages, @AsOf FROM counted
        )
        SELECT coalesce(sum(messages), 0)::bigint FROM counted;
        DELETE FROM sessions s USING unnest(@Tenants::text[], @Sessions::text[]) AS k(tenant_id, session_id)
         WHERE s.tenant_id = k.tenant_id AND s.session_id = k.session_id;
        """;

    public const string DryRunCounts = """
        SELECT
            (SELECT count(*) FROM sessions WHERE status = 'active' AND last_activity_at < @IdleCutoff)::int AS MarkedAbandoned,
            (SELECT count(*) FROM sessions
              WHERE (status = 'completed' AND completed_at < @CompletedCutoff)
                 OR (status = 'abandoned' AND abandoned_at < @AbandonedCutoff))::int AS DeletedSessions,
            (SELECT coalesce(sum(message_count), 0) FROM sessions
              WHERE (status = 'completed' AND completed_at < @CompletedCutoff)
                 OR (status = 'abandoned' AND abandoned_at < @AbandonedCutoff))::bigint AS DeletedMessages
        """;
}
