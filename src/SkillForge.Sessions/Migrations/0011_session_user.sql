-- 0011: a session belongs to the user of the first turn that names one (null for sessions from before, and for
-- sessions whose turns never carry a user), and a completed one records where its skill was saved (skill_layer), so
-- that a skill saved for one person is offered to that person only. The index serves a user's sessions, latest
-- activity first, within one tenant. Adding a nullable column rewrites nothing; the index is built under a lock that holds off writes to
-- sessions while it builds (build it CONCURRENTLY beforehand on a large table: IF NOT EXISTS then keeps it).
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS user_id text;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS skill_layer text;
CREATE INDEX IF NOT EXISTS ix_sessions_user ON sessions (tenant_id, user_id, last_activity_at DESC, session_id DESC)
    WHERE user_id IS NOT NULL;
