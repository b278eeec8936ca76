#!/usr/bin/env bash
# The fault suite: real worker processes under load, faults injected into the real servers (loopback only),
# every answered turn checked against PostgreSQL; prints a table and, when every scenario ran, writes docs/chaos.md.
# Exit 1 if a turn was lost, duplicated, out of order or hung, or a client saw a failure where the scenario allows none.
#   ops/chaos.sh [scenario] [--long]   scenarios: kill-worker redis-outage rabbitmq-restart postgres-outage kill-one-of-three
#                                       poison-messages rabbitmq-cluster-node-down redis-cluster-master-down
#                                       postgres-failover
#                                       (by name only: postgres-failover-async, the loss of an asynchronous standby)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ops/dev.sh up >/dev/null
for project in src/SkillForge.Worker src/SkillForge.Chaos; do
  dotnet build -c Release -v q -nologo "$project" >/dev/null
done
exec src/SkillForge.Chaos/bin/Release/net10.0/SkillForge.Chaos "$@"
