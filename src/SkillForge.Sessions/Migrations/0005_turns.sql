-- 0005: one row a turn instead of one row a message. A turn always wrote its user and assistant messages together,
-- in one statement, and nothing ever wrote one without the other; storing them as one row halves the rows (and
-- index entries) an append inserts and a purge or erasure deletes — a third less purge time a session (issue 5's
-- benchmark, docs/cleanup-benchmark.md) and about a third less space.
--
-- Turn n of a session holds messages seq 2n-1 (user) and 2n (assistant); n is also the session version that turn
-- produced. The wire contract is unchanged: readers unnest a turn into its two messages, and the view `messages`
-- shows the old shape (one row a message) to anyone who queries it by hand, and to workers of before this migration
-- during a rolling upgrade (below).
--
-- The copy runs inside the migration's transaction and checks that every message found its pair; a log that does
-- not pair up (which no version of the worker could write) fails the migration and leaves the old table in place.

-- Nothing may write the old log between the copy and the drop (a row written then would be dropped with the table):
-- workers' statements on `messages` wait here until this commits, and then find the view.
LOCK TABLE messages IN ACCESS EXCLUSIVE MODE;

CREATE TABLE turns (
    tenant_id          text        NOT NULL,
    session_id         text        NOT NULL,
    turn_no            bigint      NOT NULL CHECK (turn_no >= 1),
    turn_id            uuid        NOT NULL,
    user_content       text        NOT NULL,
    assistant_content  text        NOT NULL,
    created_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, session_id, turn_no),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, session_id) ON DELETE CASCADE
);

-- Idempotency: a turn id is applied once per session.
CREATE UNIQUE INDEX ux_turns_turn ON turns (tenant_id, session_id, turn_id);

INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
SELECT u.tenant_id, u.session_id, (u.seq + 1) / 2, u.turn_id, u.content, a.content, u.created_at
  FROM messages u
  JOIN messages a ON a.tenant_id = u.tenant_id AND a.session_id = u.session_id AND a.seq = u.seq + 1
                 AND a.role = 'assistant' AND a.turn_id = u.turn_id
 WHERE u.role = 'user' AND u.seq % 2 = 1;

DO $$
DECLARE
    message_rows bigint := (SELECT count(*) FROM messages);
    turn_rows bigint := (SELECT count(*) FROM turns);
BEGIN
    IF message_rows <> 2 * turn_rows THEN
        RAISE EXCEPTION 'migration 0005: % messages do not pair into turns (% pairs found); nothing was changed',
            message_rows, turn_rows;
    END IF;
END
$$;

DROP TABLE messages;

-- The old shape, for queries by hand (and, through the triggers below, for old workers' writes). security_invoker:
-- the reader's own row-level security applies.
CREATE VIEW messages WITH (security_invoker = true) AS
SELECT tenant_id, session_id, 2 * turn_no - 1 AS seq, 'user'::text AS role, user_content AS content, turn_id, created_at
  FROM turns
UNION ALL
SELECT tenant_id, session_id, 2 * turn_no AS seq, 'assistant'::text AS role, assistant_content AS content, turn_id, created_at
  FROM turns;

-- Rolling upgrade: workers of before 0005 keep running beside new ones until they are replaced, and they append and
-- erase through `messages`. These triggers take their statements: an append inserts a turn's user row, then its
-- assistant row, in one statement; the user half waits in a transaction-local setting and the assistant half writes
-- the whole turn. A turn id applied before is reported under the old unique index's name (ux_messages_turn), which
-- is what those workers recognise as "already applied". The functions run as their caller: row-level security and
-- the runtime role's rights apply as they do to the new code. A later migration drops them once no old worker runs.
CREATE FUNCTION messages_insert_turn_half() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    waiting jsonb;
    violated text;
BEGIN
    IF NEW.role = 'user' THEN
        PERFORM set_config('skillforge.turn_user_half',
            jsonb_build_object('tenant_id', NEW.tenant_id, 'session_id', NEW.session_id, 'seq', NEW.seq,
                               'turn_id', NEW.turn_id, 'content', NEW.content)::text, true);
        RETURN NEW;
    END IF;
    waiting := nullif(current_setting('skillforge.turn_user_half', true), '')::jsonb;
    IF waiting IS NULL OR waiting->>'tenant_id' <> NEW.tenant_id OR waiting->>'session_id' <> NEW.session_id
       OR (waiting->>'seq')::bigint <> NEW.seq - 1 OR (waiting->>'turn_id')::uuid <> NEW.turn_id OR NEW.seq % 2 <> 0 THEN
        RAISE EXCEPTION 'an assistant message must follow its own user message in the same statement (seq %)', NEW.seq
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM set_config('skillforge.turn_user_half', '', true);
    BEGIN
        INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at)
        VALUES (NEW.tenant_id, NEW.session_id, NEW.seq / 2, NEW.turn_id, waiting->>'content', NEW.content, NEW.created_at);
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS violated = CONSTRAINT_NAME;
        IF violated = 'ux_turns_turn' THEN
            RAISE unique_violation USING MESSAGE = 'turn ' || NEW.turn_id || ' was applied before', CONSTRAINT = 'ux_messages_turn';
        END IF;
        RAISE;
    END;
    RETURN NEW;
END
$$;

CREATE FUNCTION messages_delete_turn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM turns WHERE tenant_id = OLD.tenant_id AND session_id = OLD.session_id AND turn_no = (OLD.seq + 1) / 2;
    RETURN OLD;
END
$$;

CREATE TRIGGER messages_insert INSTEAD OF INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_insert_turn_half();
CREATE TRIGGER messages_delete INSTEAD OF DELETE ON messages FOR EACH ROW EXECUTE FUNCTION messages_delete_turn();

ALTER TABLE turns ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON turns
    USING (tenant_id = current_setting('skillforge.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('skillforge.tenant_id', true));

-- Append-only: the runtime role inserts turns, reads them and erases them; it never rewrites one.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_app') THEN
        GRANT SELECT, INSERT, DELETE ON turns TO skillforge_app;
        GRANT SELECT, INSERT, DELETE ON messages TO skillforge_app;
    END IF;
END
$$;
