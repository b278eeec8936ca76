-- 0006: a purge batch audits one row a tenant instead of one a session: `session_ids` holds the ids of the batch's
-- sessions of that tenant and `count` their messages (the number of sessions is cardinality(session_ids)). A row a
-- session, each an entry in the (tenant_id, session_id, id) index landing on an old leaf page, was about a fifth of
-- a purge batch's time and a third of the WAL it wrote (pg_waldump: ~100 MB of the index's whole pages per 100,000
-- sessions; issue 5's benchmark, docs/cleanup-benchmark.md). Every other event keeps one row a session.
-- All metadata: no table rewrite, and the check is validated without blocking writes.
ALTER TABLE session_audit ALTER COLUMN session_id DROP NOT NULL;
ALTER TABLE session_audit ADD COLUMN session_ids text[] NULL;
ALTER TABLE session_audit ADD CONSTRAINT ck_session_audit_one_or_many
    CHECK ((session_id IS NULL) <> (session_ids IS NULL)) NOT VALID;
ALTER TABLE session_audit VALIDATE CONSTRAINT ck_session_audit_one_or_many;
