-- Roles and databases of SkillForge, for a fresh PostgreSQL (ops/dev.sh runs it on every `up`; docker compose
-- mounts it as an init script). Idempotent. Dev/CI passwords only: production takes them from its secret store.
--   skillforge      owns the databases and tables; runs migrations and cleanup (sees all tenants).
--   skillforge_app  the worker's runtime role: no superuser, not a table owner, subject to row-level security.
SELECT 'CREATE ROLE skillforge LOGIN PASSWORD ''skillforge'' CREATEDB NOSUPERUSER'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge')\gexec
SELECT 'CREATE ROLE skillforge_app LOGIN PASSWORD ''skillforge_app'' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skillforge_app')\gexec
SELECT 'CREATE DATABASE skillforge OWNER skillforge'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skillforge')\gexec
SELECT 'CREATE DATABASE skillforge_test OWNER skillforge'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skillforge_test')\gexec
