#!/usr/bin/env bash
# SkillForge's development services without Docker: PostgreSQL 15, Redis and RabbitMQ (management UI) as local
# processes on 127.0.0.1, all data and logs under the repo's git-ignored .data/ folder. Usage: ops/dev.sh <command>
#   up [--cluster] [--ha] [--redis-cluster] [--tls]  start what is not running, wait until ready, ensure roles/
#                       databases/vhost/users/policies; --cluster adds rabbit2@localhost and rabbit3@localhost joined
#                       to rabbit@localhost; --ha adds a PostgreSQL primary and synchronous standby with automatic
#                       failover (127.0.0.1:5441,5442, ops/dev/pg-ha.sh); --redis-cluster adds a Redis Cluster of
#                       three masters and three replicas (127.0.0.1:7001-7006, ops/dev/redis-cluster.sh); --tls also
#                       prints the settings that reach the TLS listeners (they are always open, see TLS below)
#   down                stop what up started (by the pid files under .data/)
#   status              say what runs (exit 3 when postgres, redis or rabbit@localhost is down)
#   run [--tls] [args]  up, then the worker in the foreground (it applies the migrations at start-up); --tls: over TLS
#   test [args]         up, then dotnet test SkillForge.Messaging.sln [args]
#   cli [args]          the skillforge CLI as the development operator (its Development settings)
#   psql [args]         psql into the skillforge database as skillforge (its owner)
#   redis-cli [args]    redis-cli as Redis's admin user (the worker's own user may touch skillforge:* keys only)
#   rabbitmqctl [args]  rabbitmqctl against rabbit@localhost (the right HOME/cookie; -n picks another node)
#   stop-service S / start-service S     stop or start one of postgres|redis|rabbitmq (fault tests)
#   rabbit-node stop|start N             stop or start cluster node N (1-3), keeping its cluster membership
#   cluster-down        rabbit2/rabbit3 leave the cluster and stop; rabbit@localhost goes on alone
#   ha-node kill|start N    SIGKILL HA node N (1-2) with its keeper, as if its machine died, or start it again
#   ha-primary          print which HA node (1 or 2) takes writes now
#   ha-wait             wait until the HA pair has a primary and a synchronous standby again
#   redis-node kill|start PORT   SIGKILL Redis Cluster node PORT (7001-7006) or start it again
#   redis-masters       print the ports of the Redis Cluster's masters; redis-wait: wait until every slot is served
#   pack                the NuGet packages (SkillForge.Contracts, .Broker, .Client) and the CLI tool (SkillForge.Cli)
#                       into .data/packages, the local feed samples/dotnet restores from
#   install-cli         pack, then install the `skillforge` tool from that feed into .data/tools (put it on PATH)
#   bench [scenario]    up, then a benchmark: cleanup, turns, stages, fairness, export (src/SkillForge.Bench; figures go to docs/)
#   demo                up, then ops/demo.sh: a conversation, kill -9 of the worker, Redis flushed, the conversation going on
# TLS: every up also opens TLS listeners with certificates of a throwaway CA made on the first up (.data/tls/ca.crt):
# PostgreSQL on its own port (ssl=on), Redis on 127.0.0.1:6380, AMQPS on 127.0.0.1:5671. `run --tls` runs the worker
# over all three; docs/operations.md says how to point a party at them.
# Fixed addresses (the .NET code and tests default to them): PostgreSQL 127.0.0.1:5432 (postgres/postgres,
# skillforge, skillforge_app, skillforge_maintenance: password = name), Redis 127.0.0.1:6379 (users skillforge-worker and admin,
# password = name), RabbitMQ 127.0.0.1:5672 vhost
# skillforge (one user per party: skillforge-worker, skillforge-upstream, skillforge-operator, password = name),
# management UI http://127.0.0.1:15672 (admin/admin; skillforge-operator sees its queues).
# With SKILLFORGE_DOCKER=1 and a running Docker engine, up/down/status use docker compose instead (same ports).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
LOGS="$DATA/logs"
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=5432
REDIS_PORT=6379
REDIS_TLS_PORT=6380
TLS="$DATA/tls"
EPMD_PORT=4369
RABBIT_BIN=/usr/lib/rabbitmq/bin     # the real scripts: /usr/sbin/rabbitmq* switch to the rabbitmq user
RABBIT_HOME="$DATA/rabbitmq/home"    # holds the Erlang cookie that every node and rabbitmqctl must share
RABBIT_CLUSTER="$DATA/rabbitmq/cluster"   # exists while rabbit2/rabbit3 are members of rabbit@localhost's cluster

say() { printf '%-9s %s\n' "$1" "$2"; }
die() { echo "ops/dev.sh: $*" >&2; exit 1; }
is_root() { [[ $(id -u) -eq 0 ]]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True when pid file $1 names a live process called $2: after a reboot a stale file may name some other process,
# and a zombie (an exited process nobody has reaped yet: this machine's pid 1 is slow at it) is not alive.
pid_alive() {
  local pid stat
  [[ -s "$1" ]] || return 1
  pid="$(<"$1")"
  [[ "$pid" =~ ^[0-9]+$ && "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$2" ]] || return 1
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != [ZX] ]]
}
pid_gone() { ! pid_alive "$@"; }

# wait_for SECONDS COMMAND...: poll the command every 0.2 s.
wait_for() {
  local tries=$(($1 * 5)); shift
  while ((tries-- > 0)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

# Stop the process of pid file $1 (named $2) with SIGTERM, waiting up to $3 seconds for it to go.
kill_pidfile() {
  pid_alive "$1" "$2" || return 0
  kill "$(<"$1")" 2>/dev/null || true
  wait_for "$3" pid_gone "$1" "$2" || echo "ops/dev.sh: $2 (pid $(<"$1")) is still stopping" >&2
}

# ---------------------------------------------------------------- packages
# Only when a binary is missing (CI starts from a machine with the .NET SDK and the PostgreSQL 15 binaries).
install_packages() {
  local missing=() sudo=() rc=0 policy=/usr/sbin/policy-rc.d added=""
  [[ -x "$PG_BIN/postgres" ]] || missing+=(postgresql-15)
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null || missing+=(redis-server)
  [[ -x "$RABBIT_BIN/rabbitmq-server" ]] || missing+=(rabbitmq-server)
  [[ -z "${WANT_HA:-}" ]] || command -v pg_autoctl >/dev/null || missing+=(postgresql-15-auto-failover)
  # The Python sample upstream (samples/python), which a test runs: Debian's interpreter with its pika.
  /usr/bin/python3 -c 'import pika' 2>/dev/null || missing+=(python3-pika)
  command -v openssl >/dev/null || missing+=(openssl)
  ((${#missing[@]})) || return 0
  is_root || sudo=(sudo)
  say apt "installing ${missing[*]} (log: .data/logs/apt.log)"
  # Debian starts a packaged service as soon as it is installed unless /usr/sbin/policy-rc.d forbids it. We run
  # our own copies on our own data and ports, so forbid it for the length of the install if nothing does yet.
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# ops/dev.sh: no service starts during its apt-get install\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    added=1
  fi
  { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >>"$LOGS/apt.log" 2>&1 || rc=$?
  [[ -z "$added" ]] || "${sudo[@]}" rm -f "$policy"
  ((rc == 0)) || die "apt-get install ${missing[*]} failed; see $LOGS/apt.log"
}

# ---------------------------------------------------------------- TLS
# A throwaway CA and one server certificate (localhost and 127.0.0.1) that all three servers present. Development
# only: the CA's key lies beside it, so anyone who can read .data/ could issue certificates it vouches for.
tls_files() {
  [[ -s "$TLS/ca.crt" && -s "$TLS/server.crt" && -s "$TLS/server.key" ]] && return 0
  mkdir -p "$TLS"; chmod 755 "$TLS"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=SkillForge development CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$TLS/ca.key" -out "$TLS/ca.crt" &&
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$TLS/server.key" -out "$TLS/server.csr" &&
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
      "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >"$TLS/server.ext" &&
    openssl x509 -req -in "$TLS/server.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -CAcreateserial -days 825 \
      -extfile "$TLS/server.ext" -out "$TLS/server.crt"
  } >>"$LOGS/tls.log" 2>&1 || die "making the development certificates failed; see $LOGS/tls.log"
  chmod 600 "$TLS/ca.key" "$TLS/server.key"; chmod 644 "$TLS/ca.crt" "$TLS/server.crt"
  say tls "made a development CA and server certificate in ${TLS#"$ROOT/"}/"
}

# ---------------------------------------------------------------- PostgreSQL
# PostgreSQL refuses to run as root. As root, the cluster belongs to the `postgres` system user, which must be
# able to traverse every folder down to its data: true for /work/x or /tmp/x, false for a clone under /root
# (mode 700). Rather than loosen permissions outside the repo, the data then lives in
# /var/tmp/skillforge-pg-<hash of the repo path> (`status` and `up` print where).
# (From /: the postgres user may not be allowed into the current folder. Every path given to it is absolute.)
as_pg() { if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

pg_data_dir() {
  if is_root && ! runuser -u postgres -- test -x "$DATA" 2>/dev/null; then
    echo "/var/tmp/skillforge-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
  else
    echo "$DATA/postgres"
  fi
}

pg_log() { if [[ "$(pg_data_dir)" == "$DATA/postgres" ]]; then echo "$LOGS/postgres.log"; else echo "$(pg_data_dir)/server.log"; fi; }

# The Unix socket sits in the data folder unless that path is too long for a socket name (~107 bytes on Linux).
pg_socket_dir() { local d; d="$(pg_data_dir)"; if ((${#d} < 90)); then echo "$d"; else echo /tmp; fi; }

pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$(pg_data_dir)" status >/dev/null 2>&1; }

postgres_up() {
  local pgdata log state=running pwfile
  pgdata="$(pg_data_dir)"; log="$(pg_log)"
  # A server this script started before it had TLS: restart it with its certificate (a fast, clean stop).
  if pg_running && [[ "$(as_pg "$PG_BIN/psql" -X -tA -h "$(pg_socket_dir)" -p "$PG_PORT" -U postgres -d postgres -c 'SHOW ssl' 2>/dev/null)" == off ]]; then
    postgres_down
  fi
  if ! pg_running; then
    port_open "$PG_PORT" && die "port $PG_PORT is taken by a PostgreSQL that ops/dev.sh did not start; stop it or free the port"
    if [[ ! -f "$pgdata/PG_VERSION" ]]; then
      mkdir -p "$pgdata"; chmod 700 "$pgdata"
      is_root && chown postgres:postgres "$pgdata"
      # The superuser's password reaches initdb through a file only its owner can read.
      pwfile="$(mktemp)"; echo postgres >"$pwfile"
      is_root && chown postgres "$pwfile"
      as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres --pwfile="$pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 || { rm -f "$pwfile"; die "initdb failed; see $LOGS/initdb.log"; }
      rm -f "$pwfile"
    fi
    touch "$log"; is_root && chown postgres "$log"
    # The key must belong to the server's user and be readable by it alone: PostgreSQL refuses it otherwise.
    cp "$TLS/server.crt" "$TLS/server.key" "$pgdata/"; chmod 600 "$pgdata/server.key"
    is_root && chown postgres:postgres "$pgdata/server.crt" "$pgdata/server.key"
    # Settings on the command line win over postgresql.conf and ALTER SYSTEM. fsync, synchronous_commit and
    # full_page_writes are the defaults, stated so nobody trades them away: durability is what this product sells.
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$log" -w -t 60 start -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT \
-c unix_socket_directories='$(pg_socket_dir)' -c max_connections=200 -c shared_buffers=256MB \
-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key" >/dev/null || die "PostgreSQL did not start; see $log"
    echo "$pgdata" >"$DATA/postgres.datadir"
    state=started
  fi
  wait_for 30 "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL does not accept connections; see $log"
  # Roles and databases, on every up (idempotent): the same SQL docker compose runs. Over the Unix socket as the
  # superuser (trust); fed on stdin because the postgres user may not be able to read the repo.
  as_pg "$PG_BIN/psql" -X -q -h "$(pg_socket_dir)" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -f - \
    <"$ROOT/ops/postgres/init.sql" >/dev/null || die "ops/postgres/init.sql failed"
  say postgres "$state  127.0.0.1:$PG_PORT (TLS too)  databases skillforge, skillforge_test  (data ${pgdata#"$ROOT/"}, log ${log#"$ROOT/"})"
}

postgres_down() {
  pg_running || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$(pg_data_dir)" -m fast -w -t 60 stop >/dev/null
  say postgres stopped
}

# ---------------------------------------------------------------- Redis
REDIS_PID="$DATA/redis.pid"

# Users and their rights: ops/redis/users.acl (no anonymous user; the worker's user is confined to skillforge:* keys
# and the commands it runs). The password goes through the environment, not the command line.
redis_admin() { REDISCLI_AUTH=admin redis-cli --user admin -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
redis_ping() { [[ "$(redis_admin ping 2>/dev/null)" == PONG ]]; }

redis_up() {
  local state=running
  # A Redis this script started before it had users answers no admin: restart it with them (its data is on disk).
  if pid_alive "$REDIS_PID" redis-server && port_open "$REDIS_PORT" && ! redis_ping \
     && [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; then
    redis_down
  fi
  # Likewise a Redis without the TLS listener.
  if pid_alive "$REDIS_PID" redis-server && redis_ping && ! port_open "$REDIS_TLS_PORT"; then redis_down; fi
  if ! pid_alive "$REDIS_PID" redis-server; then
    port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by a Redis that ops/dev.sh did not start; stop it or free the port"
    mkdir -p "$DATA/redis"
    rm -f "$REDIS_PID"
    # daemonize no + setsid/nohup: a plain child of nobody that outlives this script; Redis writes the pid file.
    setsid nohup redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
      --dir "$DATA/redis" --appendonly yes --appendfsync everysec --aclfile "$ROOT/ops/redis/users.acl" \
      --tls-port "$REDIS_TLS_PORT" --tls-cert-file "$TLS/server.crt" --tls-key-file "$TLS/server.key" \
      --tls-ca-cert-file "$TLS/ca.crt" --tls-auth-clients no \
      --daemonize no --pidfile "$REDIS_PID" --logfile "$LOGS/redis.log" </dev/null >>"$LOGS/redis.out" 2>&1 &
    state=started
  fi
  # PONG, not LOADING: a large append-only file takes a while to replay.
  wait_for 60 redis_ping || die "Redis does not answer; see $LOGS/redis.log"
  wait_for 5 test -s "$REDIS_PID" || die "Redis wrote no pid file $REDIS_PID"
  # A Redis that was running keeps the users it loaded at start: read ops/redis/users.acl again in case it changed.
  [[ $state == running ]] && { redis_admin acl load >/dev/null || die "Redis refused ops/redis/users.acl; see $LOGS/redis.log"; }
  say redis "$state  127.0.0.1:$REDIS_PORT, TLS 127.0.0.1:$REDIS_TLS_PORT  (append-only, data .data/redis)"
}

redis_down() {
  pid_alive "$REDIS_PID" redis-server || { rm -f "$REDIS_PID"; return 0; }
  kill_pidfile "$REDIS_PID" redis-server 30   # SIGTERM: Redis flushes the append-only file and exits
  rm -f "$REDIS_PID"
  say redis stopped
}

# ---------------------------------------------------------------- epmd
# Erlang nodes find each other through epmd (127.0.0.1:4369). The first Erlang program to need it would start it
# as a daemon on every interface with no pid file; we start it first, on loopback, with a pid file for `down`.
# An epmd that already runs (the machine's own) is used as it is and left alone.
EPMD_PID="$DATA/epmd.pid"

epmd_up() {
  port_open "$EPMD_PORT" && return 0
  setsid nohup epmd -address 127.0.0.1 -port "$EPMD_PORT" </dev/null >>"$LOGS/epmd.log" 2>&1 &
  echo $! >"$EPMD_PID"
  wait_for 10 port_open "$EPMD_PORT" || die "epmd did not start; see $LOGS/epmd.log"
}

epmd_down() { kill_pidfile "$EPMD_PID" epmd 5; rm -f "$EPMD_PID"; }

# ---------------------------------------------------------------- RabbitMQ
# Node N (1..3): rabbit@localhost, rabbit2@localhost, rabbit3@localhost. AMQP 5672+N-1, UI 15672+N-1 and Erlang
# distribution 25672+N-1 (RabbitMQ's own default of AMQP port + 20000). All share HOME, hence the Erlang cookie.
rabbit_name() { if (($1 == 1)); then echo rabbit@localhost; else echo "rabbit$1@localhost"; fi; }
rabbit_amqp_port() { echo $((5671 + $1)); }
rabbit_amqps_port() { if (($1 == 1)); then echo 5671; else echo $((5680 + $1)); fi; }
rabbit_ui_port() { echo $((15671 + $1)); }
rabbit_dist_port() { echo $((25671 + $1)); }
rabbit_prometheus_port() { echo $((15691 + $1)); }
rabbit_dir() { echo "$DATA/rabbitmq/node$1"; }

rabbit_env() {
  local n=$1 dir; dir="$(rabbit_dir "$1")"
  export HOME="$RABBIT_HOME"
  export RABBITMQ_NODENAME; RABBITMQ_NODENAME="$(rabbit_name "$n")"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT; RABBITMQ_NODE_PORT="$(rabbit_amqp_port "$n")"
  export RABBITMQ_DIST_PORT; RABBITMQ_DIST_PORT="$(rabbit_dist_port "$n")"
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$LOGS/rabbitmq-node$n"
  export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  # The distribution listener (node to node, CLI to node) on loopback too; epmd as well should it start here.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export ERL_EPMD_ADDRESS=127.0.0.1
}

# rabbit_cli N TOOL ARGS...: rabbitmqctl, rabbitmq-queues, ... against node N with that node's environment.
rabbit_cli() { local n=$1 tool=$2; shift 2; (rabbit_env "$n"; "$RABBIT_BIN/$tool" -n "$(rabbit_name "$n")" "$@"); }

# Node N's server runs: the Erlang VM (its pid file appears a few seconds into the boot) or the launching script.
rabbit_alive() {
  pid_alive "$(rabbit_dir "$1")/rabbitmq.pid" beam.smp || pid_alive "$(rabbit_dir "$1")/launcher.pid" rabbitmq-server
}
rabbit_describe() { echo "$(rabbit_name "$1")  amqp://127.0.0.1:$(rabbit_amqp_port "$1")  amqps://127.0.0.1:$(rabbit_amqps_port "$1")  UI http://127.0.0.1:$(rabbit_ui_port "$1")"; }

# Start node N in the background without waiting (a restarting cluster member waits for its peers, so all
# members are launched before any is awaited).
rabbit_launch() {
  local n=$1 dir; dir="$(rabbit_dir "$1")"
  rabbit_alive "$n" && return 0
  # Another checkout's node (or any other program) on one of the node's ports: starting would fail half-way and
  # take the pid file with it, so say so instead.
  local port
  for port in "$(rabbit_amqp_port "$n")" "$(rabbit_amqps_port "$n")" "$(rabbit_ui_port "$n")" "$(rabbit_dist_port "$n")" "$(rabbit_prometheus_port "$n")"; do
    port_open "$port" && die "port $port is taken by a process that this checkout's ops/dev.sh did not start (another checkout's broker?); stop it or free the port"
  done
  mkdir -p "$dir/mnesia" "$RABBIT_HOME" "$LOGS/rabbitmq-node$n"
  sed -e "s|@AMQP_PORT@|$(rabbit_amqp_port "$n")|g" -e "s|@UI_PORT@|$(rabbit_ui_port "$n")|g" \
      -e "s|@PROMETHEUS_PORT@|$(rabbit_prometheus_port "$n")|g" \
      -e "s|@AMQPS_PORT@|$(rabbit_amqps_port "$n")|g" -e "s|@TLS_DIR@|$TLS|g" \
      -e "s|@DEFINITIONS@|$ROOT/ops/rabbitmq/definitions.json|g" "$ROOT/ops/rabbitmq/rabbitmq.conf" >"$dir/rabbitmq.conf"
  cp "$ROOT/ops/rabbitmq/enabled_plugins" "$dir/enabled_plugins"   # the broker may rewrite it: keep the repo's clean
  rm -f "$dir/rabbitmq.pid"
  epmd_up
  # The scripts in /usr/lib/rabbitmq/bin run as us; the /usr/sbin wrappers would switch to the rabbitmq user.
  (rabbit_env "$n"; exec setsid nohup "$RABBIT_BIN/rabbitmq-server" </dev/null >>"$LOGS/rabbitmq-node$n.out" 2>&1) &
  echo $! >"$dir/launcher.pid"
  echo launched >"$dir/state"
}

# Wait until node N has booted (~20 s on a first start). await_startup fails at once while the node is not yet
# registered with epmd, so poll it, and give up early when the server process is gone.
rabbit_await() {
  local n=$1 dir deadline=$((SECONDS + 180)); dir="$(rabbit_dir "$1")"
  until rabbit_cli "$n" rabbitmqctl -q await_startup --timeout 10 >/dev/null 2>&1; do
    if ! rabbit_alive "$n"; then
      die "RabbitMQ $(rabbit_name "$n") exited; see $LOGS/rabbitmq-node$n/ and $LOGS/rabbitmq-node$n.out"
    fi
    ((SECONDS < deadline)) || die "RabbitMQ $(rabbit_name "$n") did not start within 180 s; see $LOGS/rabbitmq-node$n/"
    sleep 1
  done
}

rabbit_up() {
  local n=$1 state=running dir; dir="$(rabbit_dir "$1")"
  if ! rabbit_alive "$n" || [[ -f "$dir/state" ]]; then
    rabbit_launch "$n"
    rabbit_await "$n"
    rm -f "$dir/state"
    state=started
  fi
  say rabbitmq "$state  $(rabbit_describe "$n")"
}

# Definitions are imported at every boot (load_definitions); a running node gets them again when the file is newer
# than its last import, so `up` also ensures the vhost, users and policies.
rabbit_definitions() {
  local stamp="$DATA/rabbitmq/definitions.imported" file="$ROOT/ops/rabbitmq/definitions.json"
  if [[ "${1:-}" == booted ]]; then touch "$stamp"; rabbit_retire_users; return; fi
  [[ -f "$stamp" && ! "$file" -nt "$stamp" ]] && return 0
  rabbit_cli 1 rabbitmqctl -q import_definitions "$file" >/dev/null || die "importing $file failed"
  touch "$stamp"
  rabbit_retire_users
  say rabbitmq "definitions re-imported from ops/rabbitmq/definitions.json"
}

# An import adds and updates users but never removes one: the shared all-powerful `skillforge` user of older
# definitions would stay in a node's data and keep every permission.
rabbit_retire_users() {
  if rabbit_cli 1 rabbitmqctl -q list_users --formatter json 2>/dev/null | grep -q '"user":"skillforge"'; then
    rabbit_cli 1 rabbitmqctl -q delete_user skillforge >/dev/null && say rabbitmq "retired the shared user skillforge"
  fi
}

# True when node N counts rabbit@localhost among its running cluster peers.
rabbit_joined() {
  rabbit_cli "$1" rabbitmqctl -q cluster_status --formatter json 2>/dev/null \
    | grep -o '"running_nodes":\[[^]]*\]' | grep -q '"rabbit@localhost"'
}

# rabbit_cluster_step N ARGS...: one rabbitmqctl step of joining or leaving; its chatter (feature-flag warnings,
# "node_not_running" errors of the moment) goes to .data/logs/rabbitmq-cluster.log.
rabbit_cluster_step() {
  local n=$1; shift
  echo "== $(date -Is) $(rabbit_name "$n"): rabbitmqctl $*" >>"$LOGS/rabbitmq-cluster.log"
  rabbit_cli "$n" rabbitmqctl "$@" >>"$LOGS/rabbitmq-cluster.log" 2>&1 \
    || die "rabbitmqctl -n $(rabbit_name "$n") $* failed; see $LOGS/rabbitmq-cluster.log"
}

rabbit_join() {
  local n=$1
  touch "$RABBIT_CLUSTER"
  rabbit_joined "$n" && return 0
  rabbit_cluster_step "$n" stop_app
  rabbit_cluster_step "$n" join_cluster rabbit@localhost
  rabbit_cluster_step "$n" start_app
  rabbit_cluster_step "$n" await_startup
  # Quorum queues keep the members they were declared with: give the skillforge ones a replica on the new node,
  # so that losing any one node of three leaves a majority.
  rabbit_cli 1 rabbitmq-queues grow "$(rabbit_name "$n")" all --vhost-pattern '^skillforge$' --queue-pattern '.*' \
    >>"$LOGS/rabbitmq-cluster.log" 2>&1 || true
  say rabbitmq "$(rabbit_name "$n") joined rabbit@localhost"
}

rabbit_down() {
  local n=$1 dir; dir="$(rabbit_dir "$1")"
  rm -f "$dir/state"
  rabbit_alive "$n" || return 0
  # `stop <pid file>` returns once the OS process is gone. SIGTERM is the fallback (a clean shutdown too): to the
  # launching script, which stops the VM, then to the VM itself.
  if ! rabbit_cli "$n" rabbitmqctl -q stop "$dir/rabbitmq.pid" >/dev/null 2>&1; then
    kill_pidfile "$dir/launcher.pid" rabbitmq-server 60
    kill_pidfile "$dir/rabbitmq.pid" beam.smp 30
  fi
  say rabbitmq "$(rabbit_name "$n") stopped"
}

# The cluster's members: rabbit@localhost alone, or all three once `up --cluster` ran (until `cluster-down`).
rabbit_nodes() { if [[ -f "$RABBIT_CLUSTER" ]]; then echo 1 2 3; else echo 1; fi; }

rabbitmq_up() {
  local n first_booted=""
  [[ "${1:-}" == --cluster ]] && touch "$RABBIT_CLUSTER"
  # A node this script started before it had TLS: restart it with its TLS listener.
  if rabbit_alive 1 && [[ ! -f "$(rabbit_dir 1)/state" ]] && port_open "$(rabbit_amqp_port 1)" && ! port_open "$(rabbit_amqps_port 1)"; then
    rabbit_down 1
  fi
  # Likewise a node started before the shovel and Prometheus plugins: its plugins and config are read at boot.
  if rabbit_alive 1 && [[ ! -f "$(rabbit_dir 1)/state" ]] && port_open "$(rabbit_amqp_port 1)" && ! port_open "$(rabbit_prometheus_port 1)"; then
    rabbit_down 1
  fi
  rabbit_alive 1 || first_booted=booted
  for n in $(rabbit_nodes); do rabbit_launch "$n"; done
  for n in $(rabbit_nodes); do rabbit_up "$n"; done
  rabbit_definitions $first_booted
  for n in $(rabbit_nodes); do ((n == 1)) || rabbit_join "$n"; done
}

rabbitmq_down() { local n; for n in 3 2 1; do rabbit_down "$n"; done; }

# rabbit2 and rabbit3 hand their quorum-queue replicas back, leave the cluster (reset) and stop.
cluster_down() {
  local n
  rabbit_alive 1 || die "rabbit@localhost must run for the others to leave its cluster (ops/dev.sh up)"
  for n in 3 2; do
    if rabbit_alive "$n"; then
      rabbit_cli 1 rabbitmq-queues shrink "$(rabbit_name "$n")" >>"$LOGS/rabbitmq-cluster.log" 2>&1 || true
      rabbit_cluster_step "$n" stop_app
      rabbit_cluster_step "$n" reset
      rabbit_down "$n"
    elif [[ -d "$(rabbit_dir "$n")/mnesia" ]]; then
      rabbit_cli 1 rabbitmqctl forget_cluster_node "$(rabbit_name "$n")" >>"$LOGS/rabbitmq-cluster.log" 2>&1 || true
      rm -rf "$(rabbit_dir "$n")/mnesia"
    fi
    say rabbitmq "$(rabbit_name "$n") left the cluster"
  done
  rm -f "$RABBIT_CLUSTER"
}

# ---------------------------------------------------------------- PostgreSQL HA (opt-in)
# shellcheck source=dev/pg-ha.sh
. "$ROOT/ops/dev/pg-ha.sh"

# ---------------------------------------------------------------- Redis Cluster (opt-in)
# shellcheck source=dev/redis-cluster.sh
. "$ROOT/ops/dev/redis-cluster.sh"

# ---------------------------------------------------------------- Docker (opt-in)
use_docker() { [[ "${SKILLFORGE_DOCKER:-0}" == 1 ]] && docker info >/dev/null 2>&1; }

# ---------------------------------------------------------------- packages
# The same version is packed again after every change, and NuGet would keep restoring its cached copy of that
# version: the cached SkillForge packages go first.
pack() {
  prepare
  rm -rf "$DATA/packages" "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/skillforge.{contracts,broker,client,cli}
  local project
  for project in Contracts Broker Client Cli; do
    dotnet pack "$ROOT/src/SkillForge.$project" -c Release -v q -nologo >>"$LOGS/pack.log" 2>&1 \
      || die "dotnet pack src/SkillForge.$project failed; see $LOGS/pack.log"
  done
  say pack "$(cd "$DATA/packages" && ls -- *.nupkg | tr '\n' ' ')(.data/packages)"
}

# ---------------------------------------------------------------- commands
# The worker's connections over the TLS listeners, each verifying the server against the development CA.
tls_environment() {
  local pg="Host=localhost;Port=$PG_PORT;Database=skillforge;SSL Mode=VerifyFull;Root Certificate=$TLS/ca.crt"
  export ConnectionStrings__Postgres="$pg;Username=skillforge_app;Password=skillforge_app"
  export ConnectionStrings__PostgresMaintenance="$pg;Username=skillforge_maintenance;Password=skillforge_maintenance"
  export ConnectionStrings__PostgresAdmin="$pg;Username=skillforge;Password=skillforge"
  export ConnectionStrings__Redis="localhost:$REDIS_TLS_PORT,ssl=true,user=skillforge-worker,password=skillforge-worker"
  export Redis__CaCertificate="$TLS/ca.crt"
  export RabbitMq__Host=localhost RabbitMq__Port=5671 RabbitMq__Tls__Enabled=true RabbitMq__Tls__CaCertificate="$TLS/ca.crt"
}

prepare() {
  mkdir -p "$DATA" "$LOGS"
  chmod 755 "$DATA" "$LOGS"   # the postgres user must reach .data/postgres and .data/logs/postgres.log
}

up() {
  if use_docker; then (cd "$ROOT" && docker compose up -d --wait postgres redis rabbitmq); return; fi
  prepare
  install_packages
  tls_files
  postgres_up
  redis_up
  rabbitmq_up "$@"
  [[ -z "${WANT_HA:-}" ]] || ha_up
  [[ -z "${WANT_REDIS_CLUSTER:-}" ]] || redis_cluster_up
}

down() {
  if use_docker; then (cd "$ROOT" && docker compose stop); return; fi
  prepare
  rabbitmq_down
  epmd_down
  redis_down
  redis_cluster_down
  ha_down
  postgres_down
}

status() {
  if use_docker; then (cd "$ROOT" && docker compose ps); return; fi
  local down=0 n
  prepare
  if pg_running; then say postgres "running  127.0.0.1:$PG_PORT  (data $(pg_data_dir))"; else say postgres stopped; down=1; fi
  if pid_alive "$REDIS_PID" redis-server; then say redis "running  127.0.0.1:$REDIS_PORT"; else say redis stopped; down=1; fi
  for n in $(rabbit_nodes); do
    if rabbit_alive "$n"; then say rabbitmq "running  $(rabbit_describe "$n")"; else say rabbitmq "$(rabbit_name "$n") stopped"; ((n > 1)) || down=1; fi
  done
  ha_status
  redis_cluster_status
  return $((down * 3))
}

service() {
  local action=$1 name=${2:-}
  prepare
  case "$name" in
    postgres) "postgres_$action" ;;
    redis) "redis_$action" ;;
    rabbitmq) "rabbit_$action" 1 ;;
    *) die "usage: ops/dev.sh stop-service|start-service postgres|redis|rabbitmq" ;;
  esac
}

rabbit_node() {
  local action=${1:-} n=${2:-}
  [[ "$n" =~ ^[123]$ && "$action" =~ ^(start|stop)$ ]] || die "usage: ops/dev.sh rabbit-node stop|start 1|2|3"
  prepare
  if [[ "$action" == stop ]]; then rabbit_down "$n"; return; fi
  rabbit_up "$n"
  ((n == 1)) || rabbit_join "$n"
}

cmd="${1:-}"; shift || true
case "$cmd" in
  up)
    tls=""; cluster=()
    for arg in "$@"; do
      case "$arg" in
        --tls) tls=1 ;; --cluster) cluster=(--cluster) ;; --ha) WANT_HA=1 ;; --redis-cluster) WANT_REDIS_CLUSTER=1 ;;
        *) die "usage: ops/dev.sh up [--cluster] [--ha] [--redis-cluster] [--tls]" ;;
      esac
    done
    up "${cluster[@]}"
    if [[ -n "$tls" ]]; then tls_environment; echo "TLS: CA $TLS/ca.crt; the worker's settings for it:"; env | grep -E '^(ConnectionStrings__|Redis__|RabbitMq__)' | sort; fi ;;
  down) down ;;
  status) status ;;
  run)
    up; cd "$ROOT"
    if [[ "${1:-}" == --tls ]]; then shift; tls_environment; fi
    DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}" exec dotnet run --project src/SkillForge.Worker -c Release "$@" ;;
  test) up; cd "$ROOT"; exec dotnet test SkillForge.Messaging.sln "$@" ;;
  redis-cli) redis_admin "$@" ;;
  cli) cd "$ROOT"; DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}" exec dotnet run --project src/SkillForge.Cli -- "$@" ;;
  psql) PGPASSWORD=skillforge exec "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U skillforge -d skillforge "$@" ;;
  rabbitmqctl) rabbit_env 1; exec "$RABBIT_BIN/rabbitmqctl" "$@" ;;
  stop-service) service down "$@" ;;
  start-service) service up "$@" ;;
  rabbit-node) rabbit_node "$@" ;;
  cluster-down) prepare; cluster_down ;;
  ha-node) ha_node "$@" ;;
  ha-primary) ha_primary ;;
  redis-node) redis_node "$@" ;;
  redis-masters) rc_masters ;;
  redis-wait) prepare; wait_for 60 rc_ok || die "the Redis Cluster does not serve every slot"; say redis-cl "every slot served, masters $(rc_masters | tr '\n' ' ')" ;;
  ha-wait) prepare; wait_for 120 ha_settled || die "the HA pair did not settle within 120 s"; say pg-ha "primary node$(ha_primary), standby in sync" ;;
  pack) pack ;;
  install-cli)
    pack
    dotnet tool update --tool-path "$DATA/tools" --add-source "$DATA/packages" SkillForge.Cli >/dev/null || die "installing the CLI tool failed"
    say cli "installed: $DATA/tools/skillforge (export PATH=\"$DATA/tools:\$PATH\")"
    say cli "it carries no development passwords: export RabbitMq__Username=skillforge-operator RabbitMq__Password=skillforge-operator" ;;
  # The benchmarks start the worker from its Release build: build it first, or they measure yesterday's code.
  bench) up; cd "$ROOT"; dotnet build -c Release src/SkillForge.Worker -v q --nologo >/dev/null || die "building the worker failed"
    exec dotnet run -c Release --project src/SkillForge.Bench -- "$@" ;;
  demo) up; exec "$ROOT/ops/demo.sh" ;;
  *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 2 ;;
esac
