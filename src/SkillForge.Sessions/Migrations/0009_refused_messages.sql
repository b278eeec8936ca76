-- 0009: operator and internal messages the worker refused (a sender without the right broker identity, a cleanup
-- dated in the future, a queued write that does not hold together): which message, from whom, why and when. Ids and
-- codes only, never a message's content. No tenant column and so no row-level security: most of these messages
-- (a cleanup, a listing) belong to no tenant. The runtime role may only add lines.
CREATE TABLE refused_messages (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at   timestamptz NOT NULL,
    message_type  text        NOT NULL,
    message_id    uuid        NULL,
    sender        text        NULL,
    reason        text        NOT NULL
);
CREATE INDEX ix_refused_messages_occurred_at ON refused_messages (occurred_at);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_app') THEN
        GRANT INSERT ON refused_messages TO skillforge_app;
    END IF;
END
$$;
