# PostgreSQL with a synchronous standby and automatic failover, sourced by ops/dev.sh (`up --ha`, `ha-node`).
#
# pg_auto_failover (Debian's postgresql-15-auto-failover) rather than Patroni: one binary and one more PostgreSQL
# (the monitor) instead of Patroni, etcd and their Python; with two data nodes it keeps the standby synchronous
# (`synchronous_standby_names = ANY 1 (...)`), promotes it when the primary stops answering, and rejoins an old
# primary as a standby by itself (pg_rewind) when its keeper starts again. Loopback ports: the monitor 5440, nodes
# 5441 and 5442. Every process of a node (its keeper, PostgreSQL and backends) shares one process group, so
# `ha-node kill N` (SIGKILL to the group) is the machine dying, not a PostgreSQL crash its keeper would restart.
# Timeouts are shortened for a loopback cluster (see ha_tune): a primary is declared dead after ~3 s and the
# standby writes ~10 s after the kill.
HA_MONITOR_PORT=5440
if is_root; then AS_PG_PREFIX=(runuser -u postgres --); else AS_PG_PREFIX=(); fi
HA_PORTS=(5441 5442)

ha_dir() {
  if [[ "$(pg_data_dir)" == "$DATA/postgres" ]]; then echo "$DATA/pg-ha"; else echo "$(pg_data_dir)-ha"; fi
}
ha_pgdata() { if (($1 == 0)); then echo "$(ha_dir)/monitor"; else echo "$(ha_dir)/node$1"; fi; }
ha_port() { if (($1 == 0)); then echo "$HA_MONITOR_PORT"; else echo "${HA_PORTS[$1 - 1]}"; fi; }
ha_name() { if (($1 == 0)); then echo monitor; else echo "node$1"; fi; }
ha_pidfile() { echo "$(ha_dir)/$(ha_name "$1").pid"; }
ha_monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$HA_MONITOR_PORT/pg_auto_failover?sslmode=require"; }

# pg_autoctl as the server's user, with its state and configuration (XDG folders) kept beside the data.
ha_ctl() {
  as_pg env XDG_CONFIG_HOME="$(ha_dir)/config" XDG_DATA_HOME="$(ha_dir)/share" PATH="$PG_BIN:/usr/bin:/bin" pg_autoctl "$@"
}

# psql as the superuser on the node that takes writes now (whichever it is).
ha_psql() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    "host=127.0.0.1,127.0.0.1 port=${HA_PORTS[0]},${HA_PORTS[1]} user=postgres dbname=postgres target_session_attrs=read-write connect_timeout=2" "$@"
}

# The keeper's group leader is the pid in its pid file; its comm is runuser as root and pg_autoctl otherwise.
ha_alive() {
  local f; f="$(ha_pidfile "$1")"
  [[ -s "$f" ]] && kill -0 "$(<"$f")" 2>/dev/null && [[ "$(cat "/proc/$(<"$f")/stat" 2>/dev/null | awk '{print $3}')" != Z ]]
}

ha_start() {
  local n=$1 log; log="$LOGS/pg-ha-$(ha_name "$1").log"
  ha_alive "$n" && return 0
  touch "$log"; is_root && chown postgres "$log"
  # exec setsid: the background subshell becomes the keeper's session and group leader, so $! names the group.
  (cd /; exec setsid "${AS_PG_PREFIX[@]}" env XDG_CONFIG_HOME="$(ha_dir)/config" XDG_DATA_HOME="$(ha_dir)/share" \
    PATH="$PG_BIN:/usr/bin:/bin" pg_autoctl run --pgdata "$(ha_pgdata "$n")") </dev/null >>"$log" 2>&1 &
  echo $! >"$(ha_pidfile "$n")"
}

# The node whose PostgreSQL takes writes: 1 or 2 (nothing when neither does).
ha_primary() {
  local n
  for n in 1 2; do
    [[ "$(as_pg "$PG_BIN/psql" -X -tA "host=127.0.0.1 port=$(ha_port "$n") user=postgres dbname=postgres connect_timeout=1" \
      -c "SELECT NOT pg_is_in_recovery() AND current_setting('default_transaction_read_only') = 'off'" 2>/dev/null)" == t ]] && { echo "$n"; return 0; }
  done
  return 1
}

# True once the monitor reports one primary and one secondary, each in the state it was assigned, and the primary
# takes writes (after a restart the monitor reports the states of before until the keepers report again).
ha_settled() {
  local states
  states="$(as_pg "$PG_BIN/psql" -X -tA "host=127.0.0.1 port=$HA_MONITOR_PORT user=postgres dbname=pg_auto_failover" \
    -c "SELECT string_agg(reportedstate || '=' || goalstate, ' ' ORDER BY reportedstate) FROM pgautofailover.node" 2>/dev/null)"
  [[ "$states" == "primary=primary secondary=secondary" ]] && ha_primary >/dev/null
}

# Failure detection and demotion timeouts for loopback; the defaults (20 s, 30 s) suit a network between machines.
ha_tune() {
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "host=127.0.0.1 port=$HA_MONITOR_PORT user=postgres dbname=pg_auto_failover" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
    -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
    -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 3000" \
    -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 8000" \
    -c "SELECT pg_reload_conf()" >/dev/null
}

# Password authentication for everyone but pg_auto_failover's own roles: initdb under pg_autoctl trusts every local
# connection, which would let any role in without its password. pg_autoctl's lines (monitor, replicator) come first.
ha_secure_hba() {
  local hba; hba="$(ha_pgdata 1)/pg_hba.conf"
  grep -q '^# ops/dev.sh' "$hba" && return 0
  as_pg sed -i -E '/^host(ssl)?[[:space:]]+(all|replication)[[:space:]]+all[[:space:]]/d' "$hba"
  # The replicator's lines too, ahead of ours: pg_autoctl appends them only when the standby registers, too late.
  printf '%s\n' '# ops/dev.sh: the standby'"'"'s replication and pg_rewind, then everyone else with a password' \
    'hostssl replication "pgautofailover_replicator" 127.0.0.1/32 trust' \
    'hostssl "postgres" "pgautofailover_replicator" 127.0.0.1/32 trust' \
    'host all all 127.0.0.1/32 scram-sha-256' 'host replication all 127.0.0.1/32 scram-sha-256' | as_pg tee -a "$hba" >/dev/null
}

ha_create_node() {
  local n=$1
  ha_ctl create postgres --pgdata "$(ha_pgdata "$n")" --pgport "$(ha_port "$n")" --hostname 127.0.0.1 --listen 127.0.0.1 \
    --name "$(ha_name "$n")" --monitor "$(ha_monitor_uri)" --auth trust --ssl-self-signed \
    >>"$LOGS/pg-ha-create.log" 2>&1 || die "pg_autoctl create postgres $(ha_name "$n") failed; see $LOGS/pg-ha-create.log"
  # A keeper that loses both the monitor and its standby demotes itself after this long (below the monitor's 8 s).
  ha_ctl config set --pgdata "$(ha_pgdata "$n")" timeout.network_partition_timeout 5 >/dev/null
}

ha_up() {
  local dir n; dir="$(ha_dir)"
  mkdir -p "$dir"; chmod 700 "$dir"; is_root && chown postgres:postgres "$dir"
  if [[ ! -f "$(ha_pgdata 0)/PG_VERSION" ]]; then
    ha_ctl create monitor --pgdata "$(ha_pgdata 0)" --pgport "$HA_MONITOR_PORT" --hostname 127.0.0.1 --auth trust \
      --ssl-self-signed >>"$LOGS/pg-ha-create.log" 2>&1 || die "pg_autoctl create monitor failed; see $LOGS/pg-ha-create.log"
    ha_ctl config set --pgdata "$(ha_pgdata 0)" postgresql.listen_addresses 127.0.0.1 >/dev/null
  fi
  ha_start 0
  wait_for 30 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$HA_MONITOR_PORT" || die "the pg_auto_failover monitor did not start; see $LOGS/pg-ha-monitor.log"
  ha_tune
  if [[ ! -f "$(ha_pgdata 1)/PG_VERSION" ]]; then
    ha_create_node 1
    ha_secure_hba
    ha_start 1
    wait_for 60 ha_primary || die "node1 did not become primary; see $LOGS/pg-ha-node1.log"
    # The superuser's password as on the main server (tests and tools sign in with it); replicated to the standby.
    ha_psql -c "ALTER ROLE postgres PASSWORD 'postgres'" >/dev/null
  fi
  [[ -f "$(ha_pgdata 2)/PG_VERSION" ]] || ha_create_node 2
  for n in 1 2; do ha_start "$n"; done
  wait_for 120 ha_settled || die "the HA pair did not settle on a primary and a synchronous standby; see $LOGS/pg-ha-*.log"
  ha_psql -f - <"$ROOT/ops/postgres/init.sql" >/dev/null || die "ops/postgres/init.sql failed on the HA primary"
  say pg-ha "primary node$(ha_primary)  127.0.0.1:${HA_PORTS[0]},127.0.0.1:${HA_PORTS[1]}  monitor :$HA_MONITOR_PORT  (data ${dir#"$ROOT/"})"
  say pg-ha "connect with Host=127.0.0.1:${HA_PORTS[0]},127.0.0.1:${HA_PORTS[1]};Target Session Attributes=read-write"
}

# SIGKILL to a node's whole process group: keeper, PostgreSQL and every backend, as if its machine died.
ha_kill() {
  local n=$1
  ha_alive "$n" || return 0
  kill -9 -- "-$(<"$(ha_pidfile "$n")")" 2>/dev/null || true
  wait_for 10 ha_gone "$n" || true
  say pg-ha "$(ha_name "$n") killed"
}
ha_gone() { ! pgrep -f "$(ha_pgdata "$1")" >/dev/null; }

ha_down() {
  local n
  for n in 2 1 0; do
    ha_alive "$n" || continue
    kill -TERM "$(<"$(ha_pidfile "$n")")" 2>/dev/null || true   # the keeper stops its PostgreSQL (fast) and exits
    wait_for 60 ha_gone "$n" || echo "ops/dev.sh: $(ha_name "$n") is still stopping" >&2
    rm -f "$(ha_pidfile "$n")"
    say pg-ha "$(ha_name "$n") stopped"
  done
}

ha_status() {
  [[ -d "$(ha_dir)" ]] || return 0
  if ha_alive 0; then ha_ctl show state --pgdata "$(ha_pgdata 0)" 2>/dev/null; else say pg-ha "monitor stopped"; fi
}

ha_node() {
  local action=${1:-} n=${2:-}
  [[ "$n" =~ ^[12]$ && "$action" =~ ^(kill|start)$ ]] || die "usage: ops/dev.sh ha-node kill|start 1|2"
  prepare
  if [[ "$action" == kill ]]; then ha_kill "$n"; else ha_start "$n"; say pg-ha "$(ha_name "$n") started"; fi
}
