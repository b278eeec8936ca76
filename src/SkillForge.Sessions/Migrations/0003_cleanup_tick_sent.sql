-- 0003: a claimed tick is done only once its CleanupSessions was sent. Until then the claiming instance may claim
-- it again (its send failed: the broker was away), and after a lease any instance may (the claimer died between
-- claim and send). Ticks claimed before this migration were sent, as far as anyone can tell.
ALTER TABLE cleanup_ticks ADD COLUMN sent_at timestamptz;
UPDATE cleanup_ticks SET sent_at = claimed_at;
