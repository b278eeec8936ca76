-- One chat turn as the worker does it to PostgreSQL, roughly: load the session and its latest turns, then append a
-- turn under the version (each pgbench client its own session).
\set w :client_id + 1
SELECT version FROM sessions WHERE tenant_id = 'live' AND session_id = 'live-' || :w;
SELECT turn_no, user_content, assistant_content FROM turns WHERE tenant_id = 'live' AND session_id = 'live-' || :w ORDER BY turn_no DESC LIMIT 10;
BEGIN;
UPDATE sessions SET version = version + 1, updated_at = now(), last_activity_at = now(), message_count = message_count + 2 WHERE tenant_id = 'live' AND session_id = 'live-' || :w RETURNING version \gset
INSERT INTO turns (tenant_id, session_id, turn_no, turn_id, user_content, assistant_content, created_at) VALUES ('live', 'live-' || :w, :version - 1, gen_random_uuid(), 'a user message of ordinary length', 'an assistant reply of ordinary length, a little longer than the question', now());
COMMIT;
