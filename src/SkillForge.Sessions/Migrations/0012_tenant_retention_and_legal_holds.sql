-- 0012: a tenant may have retention periods of its own (a null period: the product's), and a legal hold keeps what it
-- covers (a session, a user's sessions, or a whole tenant) from purge and erasure until it is released. Both are set
-- by an operator; who did it goes into the audit (actor) beside what changed. A released hold stays, with who
-- released it and when, so that the record of a hold outlives it. New tables: nothing existing is locked or rewritten.
CREATE TABLE tenant_retention (
    tenant_id               text        PRIMARY KEY,
    abandon_after_idle      interval    NULL,
    delete_completed_after  interval    NULL,
    delete_abandoned_after  interval    NULL,
    delete_audit_after      interval    NULL,
    changed_by              text        NOT NULL,
    changed_at              timestamptz NOT NULL
);

CREATE TABLE legal_holds (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    text        NOT NULL,
    session_id   text        NULL,
    user_id      text        NULL,
    reason       text        NOT NULL,
    placed_by    text        NOT NULL,
    placed_at    timestamptz NOT NULL,
    released_by  text        NULL,
    released_at  timestamptz NULL,
    -- A hold names a session or a user, or neither (the whole tenant).
    CHECK (session_id IS NULL OR user_id IS NULL)
);
-- One hold in force per scope: placing it again answers the hold already there.
CREATE UNIQUE INDEX ux_legal_holds_in_force ON legal_holds (tenant_id, COALESCE(session_id, ''), COALESCE(user_id, ''))
    WHERE released_at IS NULL;

ALTER TABLE session_audit ADD COLUMN actor text NULL;

-- A user's erasure, delivered again, answers what it erased from its audit lines (one a session, all with the request's
-- id). Like 0007's index, build it CONCURRENTLY beforehand on a large audit table; IF NOT EXISTS then keeps it.
CREATE INDEX IF NOT EXISTS ix_session_audit_request ON session_audit (request_id) WHERE request_id IS NOT NULL;

ALTER TABLE tenant_retention ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_retention FORCE ROW LEVEL SECURITY;
ALTER TABLE legal_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE legal_holds FORCE ROW LEVEL SECURITY;
-- The runtime role reads the holds of the tenant it names, to refuse an erasure of what they cover.
CREATE POLICY tenant_isolation ON legal_holds
    USING (tenant_id = current_setting('skillforge.tenant_id', true));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_app') THEN
        GRANT SELECT ON legal_holds TO skillforge_app;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_maintenance') THEN
        CREATE POLICY maintenance ON tenant_retention TO skillforge_maintenance USING (true) WITH CHECK (true);
        CREATE POLICY maintenance ON legal_holds TO skillforge_maintenance USING (true) WITH CHECK (true);
        GRANT SELECT, INSERT, UPDATE, DELETE ON tenant_retention TO skillforge_maintenance;
        -- No DELETE: a hold is released, never removed.
        GRANT SELECT, INSERT, UPDATE ON legal_holds TO skillforge_maintenance;
    END IF;
END
$$;
