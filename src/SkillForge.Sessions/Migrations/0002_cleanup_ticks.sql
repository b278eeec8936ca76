-- 0002: one row per cleanup schedule tick, claimed by exactly one worker instance (primary key), so that each
-- tick sends one CleanupSessions however many instances run.
CREATE TABLE cleanup_ticks (
    tick        timestamptz PRIMARY KEY,
    claimed_by  text        NOT NULL,
    claimed_at  timestamptz NOT NULL
);
