-- 0006: a purge batch audits one row a tenant instead of one a session: `session_ids` holds the ids of the batch's
-- sessions of that tenant and `count` their messages (the number of sessions is cardinality(session_ids)). A row a
-- session put an entry in the (tenant_id, session_id, id) index on an old leaf page: pg_waldump of one purge of
-- 100,000 sessions (ops/purge-harness.sh, ~1.5 million audit lines) showed ~100 MB of that index's whole pages, a
-- third of its WAL; in issue 5's benchmark (docs/cleanup-benchmark.md) this change took ~20 % off a purge's time and
-- ~15 % off its WAL. Every other event keeps one row a session.
-- No table rewrite. The check is added NOT VALID, then validated: in this one transaction the ALTER's lock is held
-- through the validation's scan, so audit inserts (chat turns that change a state) wait for one read of the table.
ALTER TABLE session_audit ALTER COLUMN session_id DROP NOT NULL;
ALTER TABLE session_audit ADD COLUMN session_ids text[] NULL;
ALTER TABLE session_audit ADD CONSTRAINT ck_session_audit_one_or_many
    CHECK ((session_id IS NULL) <> (session_ids IS NULL)) NOT VALID;
ALTER TABLE session_audit VALIDATE CONSTRAINT ck_session_audit_one_or_many;
