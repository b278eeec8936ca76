-- 0001: sessions, the append-only message log, the audit trail, and row-level security by tenant.
-- Applied by the table owner (the maintenance role); the worker's runtime role gets DML rights only.

CREATE TABLE sessions (
    tenant_id          text        NOT NULL,
    session_id         text        NOT NULL,
    state              text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('active', 'completed', 'abandoned')),
    skill_name         text        NULL,
    skill_description  text        NULL,
    context            jsonb       NOT NULL,
    version            bigint      NOT NULL CHECK (version >= 1),
    message_count      integer     NOT NULL CHECK (message_count >= 0),
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    last_activity_at   timestamptz NOT NULL,
    completed_at       timestamptz NULL,
    abandoned_at       timestamptz NULL,
    PRIMARY KEY (tenant_id, session_id)
);

-- Cleanup scans: idle active sessions, and closed sessions past retention.
CREATE INDEX ix_sessions_status_last_activity ON sessions (status, last_activity_at);
CREATE INDEX ix_sessions_completed_at ON sessions (completed_at) WHERE status = 'completed';
CREATE INDEX ix_sessions_abandoned_at ON sessions (abandoned_at) WHERE status = 'abandoned';

-- Append-only: a turn inserts two rows (user, assistant) and never rewrites older ones.
CREATE TABLE messages (
    tenant_id   text        NOT NULL,
    session_id  text        NOT NULL,
    seq         bigint      NOT NULL CHECK (seq >= 1),
    role        text        NOT NULL CHECK (role IN ('user', 'assistant')),
    content     text        NOT NULL,
    turn_id     uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, session_id, seq),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, session_id)
);

-- Idempotency: a turn id is applied once per session (one user and one assistant message).
CREATE UNIQUE INDEX ux_messages_turn ON messages (tenant_id, session_id, turn_id, role);

-- State/status transitions, creations, erasures and purges: ids, values and times only, never content.
CREATE TABLE session_audit (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text        NOT NULL,
    session_id   text        NOT NULL,
    event        text        NOT NULL,
    from_value   text        NULL,
    to_value     text        NULL,
    version      bigint      NULL,
    count        bigint      NULL,
    occurred_at  timestamptz NOT NULL
);
CREATE INDEX ix_session_audit_session ON session_audit (tenant_id, session_id, id);

-- Tenant isolation, second line of defence: even a query that forgets its tenant filter sees only the
-- tenant named by `SET LOCAL skillforge.tenant_id` (set_config(..., true)) in its own transaction.
-- The table owner (migrations, cleanup) is not subject to these policies; the runtime role is.
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_audit ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON sessions
    USING (tenant_id = current_setting('skillforge.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('skillforge.tenant_id', true));
CREATE POLICY tenant_isolation ON messages
    USING (tenant_id = current_setting('skillforge.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('skillforge.tenant_id', true));
CREATE POLICY tenant_isolation ON session_audit
    USING (tenant_id = current_setting('skillforge.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('skillforge.tenant_id', true));

-- The runtime role is created by ops (ops/dev.sh, ops/postgres/init.sql); grant only where it exists so
-- that a database without it (a developer's own) still migrates.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON sessions, messages TO skillforge_app;
        GRANT SELECT, INSERT ON session_audit TO skillforge_app;
    END IF;
END
$$;
