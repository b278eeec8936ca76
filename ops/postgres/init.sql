-- Roles and databases of SkillForge (dev/CI passwords only: production takes them from its secret store).
-- Run as the superuser `postgres` with psql (it uses \gexec): ops/dev.sh runs it on every `up`, docker compose
-- mounts it as an init script of a fresh cluster. Idempotent: it creates what is missing and puts the attributes
-- and owners back to these values when someone changed them.
--   skillforge              owns the databases and tables; runs migrations only (skillforge migrate, or the worker
--                           with Worker:MigrateOnStart). Row-level security applies to it too (FORCE).
--   skillforge_app          the worker's chat-turn role: owns nothing, sees one tenant per transaction.
--   skillforge_maintenance  the worker's cleanup, schedule and status gauge: every tenant's rows, no DDL.
\set ON_ERROR_STOP on

SELECT 'CREATE ROLE skillforge' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge')\gexec
ALTER ROLE skillforge LOGIN PASSWORD 'skillforge' CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT 'CREATE ROLE skillforge_app' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_app')\gexec
ALTER ROLE skillforge_app LOGIN PASSWORD 'skillforge_app' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT 'CREATE ROLE skillforge_maintenance' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_maintenance')\gexec
ALTER ROLE skillforge_maintenance LOGIN PASSWORD 'skillforge_maintenance' NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT 'CREATE DATABASE skillforge OWNER skillforge'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skillforge')\gexec
SELECT 'CREATE DATABASE skillforge_test OWNER skillforge'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skillforge_test')\gexec
ALTER DATABASE skillforge OWNER TO skillforge;
ALTER DATABASE skillforge_test OWNER TO skillforge;
