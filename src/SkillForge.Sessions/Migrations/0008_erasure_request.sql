-- 0008: an erasure's audit line names the request that made it (request_id: the EraseSession's request id, else
-- its message id) and the status the session had (from_value; NULL when there was no such session). A request
-- delivered again after its commit (its answer's send failed, the cache removal after the commit failed, or the
-- worker died before answering and the broker redelivered it elsewhere) finds nothing left to erase; it is answered
-- from its own earlier lines, with what it erased, rather than "did not exist".
-- A nullable column without a default: no rewrite; the ALTER holds its lock only for a moment.
ALTER TABLE session_audit ADD COLUMN request_id uuid;
