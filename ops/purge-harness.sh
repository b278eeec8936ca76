#!/usr/bin/env bash
# A quick harness for the purge's effect on chat latency, without .NET: pgbench plays 8 paced chat writers
# (ops/purge-harness/turn.sql, 250 turns/s) while a PostgreSQL procedure runs the purge statement (or the control: one
# backend looping on nothing), and it prints each run's p50/p99 alone and during. Used to try variants fast (about
# 35 s a run); the figures that count come from `ops/dev.sh bench cleanup`. Needs ops/dev.sh's PostgreSQL (up).
#   ops/purge-harness.sh [--runs N] [--batch B] [--pause SECONDS] [--audit batch|session] [--wal-compression off|lz4|zstd]
#                        [--chat-sync on|off] [--control]
#   --audit session      the statement before migration 0006 (one audit line a session)
#   --wal-compression    for the purge's connection only (it runs as the superuser)
#   --chat-sync off      the writers' synchronous_commit (an experiment: never for the worker)
#   --control            instead of the purge, one backend busy for 4 s with a loop of nothing
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN=/usr/lib/postgresql/15/bin
DB=sf_purge_harness
export PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGPASSWORD="${PGPASSWORD:-postgres}" PGOPTIONS="-c client_min_messages=warning"

runs=3 batch=2000 pause=0.01 audit=batch compression=off chat_sync=on control=0
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --pause) pause="$2"; shift 2 ;;
    --audit) audit="$2"; shift 2 ;;
    --wal-compression) compression="$2"; shift 2 ;;
    --chat-sync) chat_sync="$2"; shift 2 ;;
    --control) control=1; shift ;;
    *) echo "usage: see the head of $0" >&2; exit 2 ;;
  esac
done
[[ $audit == batch || $audit == session ]] || { echo "--audit batch|session" >&2; exit 2; }

q() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

# A scratch database, migrated as the worker would (0005 needs a transaction: every file runs in one).
"$PG_BIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
for migration in "$ROOT"/src/SkillForge.Sessions/Migrations/0*.sql; do
  q -1 -f "$migration" >/dev/null
done
q -f "$ROOT/ops/purge-harness/setup.sql" >/dev/null
q -c "ALTER DATABASE $DB SET synchronous_commit = $chat_sync"
trap '"$PG_BIN/psql" -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null' EXIT

work=$(mktemp -d)
by_batch=$([[ $audit == batch ]] && echo true || echo false)
for ((run = 1; run <= runs; run++)); do
  q -c "CALL harness_seed()" -c "VACUUM ANALYZE sessions" -c "VACUUM ANALYZE turns" -c "VACUUM ANALYZE session_audit" -c CHECKPOINT
  rm -f "$work"/pgbench_log.*
  (cd "$work" && "$PG_BIN/pgbench" -n -f "$ROOT/ops/purge-harness/turn.sql" -c 8 -j 2 -R 250 -T 20 -l "$DB" >/dev/null 2>&1) &
  sleep 6
  lsn=$(q -At -c "SELECT pg_current_wal_lsn()")
  start=$(date +%s.%N)
  if ((control)); then
    q -c "SET statement_timeout = 4000" -c 'DO $$BEGIN LOOP PERFORM 1; END LOOP; END$$' 2>/dev/null || true
  else
    q -c "SET wal_compression = $compression" -c "CALL harness_purge($batch, $pause, $by_batch)"
  fi
  end=$(date +%s.%N)
  wal=$(q -At -c "SELECT pg_size_pretty(pg_current_wal_lsn() - '$lsn')")
  wait
  # A log line: client, transaction, latency µs, script, epoch s, µs, schedule lag µs. Latency counts from when the
  # turn was due (latency + lag); a turn belongs to the phase it ended in. "alone": the 4 s before.
  cat "$work"/pgbench_log.* | awk -v s="$start" -v e="$end" '
    { t = $5 + $6 / 1e6; ms = ($3 + $7) / 1000
      if (t > s - 4 && t < s - 0.2) alone[++na] = ms; else if (t >= s && t <= e) during[++nd] = ms }
    function pct(a, n, q,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
                                        return a[int(n * q) > 0 ? int(n * q) : 1] }
    END { pa50 = pct(alone, na, 0.5); pa99 = pct(alone, na, 0.99); pd50 = pct(during, nd, 0.5); pd99 = pct(during, nd, 0.99)
          printf "%.2f s | alone n=%d p50 %.2f p99 %.2f ms | during n=%d p50 %.2f p99 %.2f ms | p99 during/alone %.2fx\n", e - s, na, pa50, pa99, nd, pd50, pd99, pd99 / pa99 }' \
    | { read -r line; echo "run $run/$runs ($([[ $control == 1 ]] && echo control || echo "purge batch $batch, rest ${pause}s, audit a $audit, wal_compression $compression"), chat sync $chat_sync): $line | WAL $wal"; }
done
rm -rf "$work"
