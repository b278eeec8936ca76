-- ops/purge-harness.sh's procedures, in its scratch database (after the migrations). The seed is the cleanup
-- benchmark's shape (100,000 expired completed sessions of 5 turns, 100 tenants; hex texts, not prose), the purge
-- the CleanupRun statement as a procedure (one transaction a batch, a rest between), and `busy` the control: one
-- backend looping on nothing.
INSERT INTO sessions (tenant_id, session_id, state, status, context, version, message_count, created_at, updated_at, last_activity_at)
SELECT 'live', 'live-' || g, 'gathering_details', 'active', '{"schema_version":1}', 1, 0, now(), now(), now()
  FROM generate_series(1, 8) g
ON CONFLICT DO NOTHING;

CREATE OR REPLACE PROCEDURE harness_seed() LANGUAGE plpgsql AS $$
DECLARE f int := 0; at timestamptz := now() - interval '120 days';
BEGIN
  DELETE FROM sessions WHERE tenant_id LIKE 'bench-%';
  WHILE f < 100000 LOOP
    INSERT INTO sessions (tenant_id, session_id, state, status, skill_name, context, version, message_count,
                          created_at, updated_at, last_activity_at, completed_at)
    SELECT 'bench-' || (g % 100), 'expired-' || g, 'completed', 'completed', 'skill-' || g, '{"schema_version":1}', 5, 10,
           at, at, at, at
      FROM generate_series(f, f + 9999) g;
    INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
    SELECT 'bench-' || (g % 100), 'expired-' || g, n, gen_random_uuid(), left(repeat(md5(g::text || n), 4), 116),
           left(repeat(md5(n::text || g || 'x'), 4), 116), at
      FROM generate_series(f, f + 9999) g, generate_series(1, 5) n;
    COMMIT;
    f := f + 10000;
  END LOOP;
END $$;

-- by_batch: migration 0006's audit (one line a batch and tenant), as CleanupSql.PurgeBatch; otherwise one line a
-- session, as before 0006.
CREATE OR REPLACE PROCEDURE harness_purge(batch int, pause float, by_batch bool) LANGUAGE plpgsql AS $$
DECLARE
  n int;
  audit text := CASE WHEN by_batch
    THEN $a$INSERT INTO session_audit (tenant_id, session_ids, event, count, occurred_at)
            SELECT tenant_id, array_agg(session_id ORDER BY session_id), 'purged', sum(message_count), now()
              FROM gone GROUP BY tenant_id$a$
    ELSE $a$INSERT INTO session_audit (tenant_id, session_id, event, count, occurred_at)
            SELECT tenant_id, session_id, 'purged', message_count, now() FROM gone$a$ END;
BEGIN
  LOOP
    EXECUTE format($q$
      WITH gone AS (
          DELETE FROM sessions
           WHERE ctid = ANY(ARRAY(
                 SELECT ctid FROM sessions
                  WHERE (status = 'completed' AND completed_at < now() - interval '90 days')
                     OR (status = 'abandoned' AND abandoned_at < now() - interval '30 days')
                  LIMIT $1
                    FOR UPDATE SKIP LOCKED))
       RETURNING tenant_id, session_id, message_count
      ), audited AS (%s)
      SELECT count(*) FROM gone$q$, audit) INTO n USING batch;
    COMMIT;
    EXIT WHEN n = 0;
    PERFORM pg_sleep(pause);
  END LOOP;
END $$;
