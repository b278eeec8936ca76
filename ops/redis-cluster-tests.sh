#!/usr/bin/env bash
# The Redis-backed tests again, against ops/dev.sh's Redis Cluster (three masters, three replicas) instead of the
# single Redis: the cache, the tenant-safe keys, turns, write-behind, erasure and the cleanup's batch eviction, with
# nothing changed but the connection string. Tests tied to one node (a proxy in front of it, its append-only file)
# carry the trait Redis=SingleNode and stay out.   Usage: ops/redis-cluster-tests.sh [dotnet test args]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ops/dev.sh up --redis-cluster >/dev/null
nodes="127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003"
export ConnectionStrings__Redis="$nodes,user=skillforge-worker,password=skillforge-worker"
export SKILLFORGE_TEST_REDIS_ADMIN="$nodes,user=admin,password=admin"
rc=0
dotnet test tests/SkillForge.Sessions.Tests --filter "FullyQualifiedName~SkillForge.Sessions.Tests.Caching&Redis!=SingleNode" "$@" || rc=$?
worker="FullyQualifiedName~.ChatTurns.|FullyQualifiedName~.Erasure.|FullyQualifiedName~.Cleanup.|FullyQualifiedName~.WriteBehind."
worker+="|FullyQualifiedName~.EndToEnd.|FullyQualifiedName~.Degraded."
dotnet test tests/SkillForge.Worker.Tests --filter "($worker)&Redis!=SingleNode" "$@" || rc=$?
exit "$rc"
