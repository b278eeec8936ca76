-- 0007: audit lines have a retention of their own (Retention:DeleteAuditAfter, default 365 days): each cleanup
-- deletes, in batches, the lines that occurred before its cutoff, found through this index.
-- A plain CREATE INDEX holds off inserts into the table while it builds (audit lines are written by chat turns
-- that change a state): on a large audit table, build it beforehand without blocking writes,
--     CREATE INDEX CONCURRENTLY ix_session_audit_occurred_at ON session_audit (occurred_at);
-- and this migration finds it and builds nothing.
CREATE INDEX IF NOT EXISTS ix_session_audit_occurred_at ON session_audit (occurred_at);
