-- 0013: one row that cleanup rewrites to measure PostgreSQL's commit latency between its batches, which decides how
-- long it rests. A commit that wrote nothing is not flushed, so a probe must write; this row holds no one's data.
CREATE TABLE cleanup_pace_probe (
    id int PRIMARY KEY CHECK (id = 1),
    probed_at timestamptz NOT NULL
);
INSERT INTO cleanup_pace_probe (id, probed_at) VALUES (1, now());

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_maintenance') THEN
        GRANT SELECT, UPDATE ON cleanup_pace_probe TO skillforge_maintenance;
    END IF;
END
$$;
