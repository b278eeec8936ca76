-- 0010: the owner no longer runs anything but migrations. Row-level security now binds the owner as well (FORCE),
-- so a connection left holding the owner's role sees no tenant's rows unless it names one. Cleanup, the schedule
-- and the status gauge move to the maintenance role, which sees every tenant through a policy of its own and may
-- change only what they change. Neither runtime role owns anything, so neither can alter or drop a table.
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE turns FORCE ROW LEVEL SECURITY;
ALTER TABLE session_audit FORCE ROW LEVEL SECURITY;

-- PostgreSQL 15 already withholds CREATE in the public schema from everyone; a cluster upgraded from an older
-- version may not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Like the runtime role's grants, only where ops created the role, so that a developer's own database migrates.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_maintenance') THEN
        CREATE POLICY maintenance ON sessions TO skillforge_maintenance USING (true) WITH CHECK (true);
        CREATE POLICY maintenance ON turns TO skillforge_maintenance USING (true);
        CREATE POLICY maintenance ON session_audit TO skillforge_maintenance USING (true) WITH CHECK (true);
        -- Abandon (UPDATE) and purge (DELETE; the turns go by the foreign key's cascade, run as the owner).
        GRANT SELECT, UPDATE, DELETE ON sessions TO skillforge_maintenance;
        GRANT SELECT ON turns TO skillforge_maintenance;
        GRANT SELECT, INSERT, DELETE ON session_audit TO skillforge_maintenance;
        GRANT SELECT, INSERT, UPDATE, DELETE ON cleanup_ticks TO skillforge_maintenance;
        GRANT SELECT, INSERT, DELETE ON refused_messages TO skillforge_maintenance;
    END IF;
END
$$;
