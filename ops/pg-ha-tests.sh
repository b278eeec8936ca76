#!/usr/bin/env bash
# The PostgreSQL-backed tests of the session store again, against ops/dev.sh's HA pair (a primary and a synchronous
# standby under pg_auto_failover) through a multi-host connection string, as the worker and the CLI use it there:
# every role, migration, row-level security rule and query must work through it unchanged.
#   Usage: ops/pg-ha-tests.sh [dotnet test args]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ops/dev.sh up --ha >/dev/null
hosts="Host=127.0.0.1:5441,127.0.0.1:5442;Target Session Attributes=read-write;Host Recheck Seconds=1;Database=skillforge_test"
export ConnectionStrings__Postgres="$hosts;Username=skillforge_app;Password=skillforge_app"
export ConnectionStrings__PostgresAdmin="$hosts;Username=skillforge;Password=skillforge"
export ConnectionStrings__PostgresMaintenance="$hosts;Username=skillforge_maintenance;Password=skillforge_maintenance"
export ConnectionStrings__PostgresSuperuser="$hosts;Username=postgres;Password=postgres"
exec dotnet test tests/SkillForge.Sessions.Tests "$@"
