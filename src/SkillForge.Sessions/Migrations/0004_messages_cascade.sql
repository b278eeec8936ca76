-- 0004: a session's messages go with its row (ON DELETE CASCADE). The purge then deletes session rows only and
-- PostgreSQL removes their messages in the same statement, instead of the purge deleting the messages and the
-- foreign key then checking, row by row, that none are left: about a third of each purge batch (issue 5's
-- benchmark, docs/cleanup-benchmark.md). The key still refuses a message without its session.
-- NOT VALID + VALIDATE: the new key is checked against the existing rows without blocking writes while it scans.
ALTER TABLE messages DROP CONSTRAINT messages_tenant_id_session_id_fkey;
ALTER TABLE messages ADD CONSTRAINT messages_tenant_id_session_id_fkey
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, session_id) ON DELETE CASCADE NOT VALID;
ALTER TABLE messages VALIDATE CONSTRAINT messages_tenant_id_session_id_fkey;
