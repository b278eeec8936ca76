#!/usr/bin/env bash
# The promise, shown: a scripted conversation through the CLI, the worker killed with SIGKILL and Redis flushed,
# then the same conversation going on from PostgreSQL (Resumed, version continuing). Called by `ops/dev.sh demo`
# after the services are up.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The worker and the CLI read their development credentials from appsettings.Development.json.
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
LOGS="$ROOT/.data/logs"
mkdir -p "$LOGS"

echo "== building"
for project in src/SkillForge.Worker src/SkillForge.Cli; do
  dotnet build -c Release -v q -nologo "$project" >/dev/null
done
WORKER="$ROOT/src/SkillForge.Worker/bin/Release/net10.0/SkillForge.Worker"
CLI="$ROOT/src/SkillForge.Cli/bin/Release/net10.0/skillforge"
SESSION="demo-$(date +%s)"

start_worker() {
  "$WORKER" --Urls=http://127.0.0.1:8080 >>"$LOGS/demo-worker.log" 2>&1 &
  WORKER_PID=$!
  for _ in $(seq 1 60); do
    curl -fs http://127.0.0.1:8080/health/ready >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "worker did not become ready; see $LOGS/demo-worker.log" >&2
  exit 1
}
trap '[[ -n "${WORKER_PID:-}" ]] && kill "$WORKER_PID" 2>/dev/null || true' EXIT

echo "== starting the worker"
start_worker
echo "== first part of the conversation (session $SESSION)"
printf '%s\n' "I want a skill that reviews SQL migrations for risky changes" "Name it sql-migration-review" \
  | "$CLI" chat --tenant demo --session "$SESSION"

echo "== kill -9 the worker and flush Redis"
kill -9 "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null || true
"$ROOT/ops/dev.sh" redis-cli FLUSHALL >/dev/null
echo "== starting the worker again"
start_worker
echo "== the conversation goes on from PostgreSQL"
printf '%s\n' "Description: Reviews SQL migration files and flags locking, data loss and long rewrites" \
  | "$CLI" chat --tenant demo --session "$SESSION"
echo "== history"
"$CLI" history --tenant demo --session "$SESSION" --limit 10
