#!/usr/bin/env bash
# SkillForge's development services without Docker: PostgreSQL 15, Redis and RabbitMQ (management UI) as local
# processes on 127.0.0.1, data under the repo's git-ignored .data/ folder. Usage: ops/dev.sh <command>
#   up [--cluster]   start what is not running (idempotent); --cluster adds rabbit2/rabbit3 joined to rabbit@localhost
#   down             stop what up started (by pid files)
#   status           say what runs
#   run              up, then the worker in the foreground (it migrates at start-up)
#   test [args]      up, then dotnet test of the whole solution (args go to dotnet test)
#   demo             up, a scripted conversation through the CLI, SIGKILL + Redis flush, and the conversation going on
#   stop-service S / start-service S   stop or start one of postgres|redis|rabbitmq (fault tests)
#   psql             psql into the skillforge database as its owner
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
LOGS="$DATA/logs"
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=5432
REDIS_PORT=6379
RABBIT_HOME="$DATA/rabbitmq/home"    # holds the Erlang cookie every node and rabbitmqctl share
RABBIT_BIN=/usr/lib/rabbitmq/bin

log() { printf '%-10s %s\n' "$1" "$2"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

install_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  [[ -x "$RABBIT_BIN/rabbitmq-server" ]] || missing+=(rabbitmq-server)
  if ((${#missing[@]})); then
    log apt "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$LOGS/apt.log" 2>&1
    # policy-rc.d (or no init system) keeps apt from starting the packaged services: we run our own.
    apt-get install -y -qq "${missing[@]}" >>"$LOGS/apt.log" 2>&1
  fi
}

# ---------------------------------------------------------------- PostgreSQL
# PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres system user. Its data lives
# under .data/ when postgres can reach that folder; otherwise (a clone under /root, say) under /var/tmp.
pg_user() { [[ $(id -u) -eq 0 ]] && echo postgres || id -un; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_data_dir() {
  if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$DATA" 2>/dev/null; then
    echo "/var/tmp/skillforge-pg-$(echo "$ROOT" | md5sum | cut -c1-8)"
  else
    echo "$DATA/postgres"
  fi
}

postgres_up() {
  local pgdata; pgdata="$(pg_data_dir)"
  if as_pg "$PG_BIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    log postgres "running (127.0.0.1:$PG_PORT)"
    return
  fi
  if port_open "$PG_PORT"; then
    echo "port $PG_PORT is taken by a PostgreSQL that ops/dev.sh did not start; stop it or free the port" >&2
    exit 1
  fi
  if [[ ! -f "$pgdata/PG_VERSION" ]]; then
    mkdir -p "$pgdata"
    [[ $(id -u) -eq 0 ]] && chown "$(pg_user)" "$pgdata"
    local pwfile; pwfile="$(mktemp)"; echo postgres >"$pwfile"; chmod 644 "$pwfile"
    as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1
    rm -f "$pwfile"
  fi
  # fsync and synchronous_commit stay on: durability is the product.
  as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$pgdata -c max_connections=200 -c shared_buffers=256MB" \
    >/dev/null
  echo "$pgdata" >"$DATA/postgres.datadir"
  as_pg "$PG_BIN/psql" -h "$pgdata" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q -f "$ROOT/ops/postgres/init.sql" >/dev/null
  log postgres "started (127.0.0.1:$PG_PORT, data $pgdata)"
}

postgres_down() {
  local pgdata; pgdata="$(pg_data_dir)"
  if as_pg "$PG_BIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
    log postgres stopped
  fi
}

# ---------------------------------------------------------------- Redis
redis_up() {
  if pid_alive "$DATA/redis.pid"; then
    log redis "running (127.0.0.1:$REDIS_PORT)"
    return
  fi
  if port_open "$REDIS_PORT"; then
    echo "port $REDIS_PORT is taken by a Redis that ops/dev.sh did not start; stop it or free the port" >&2
    exit 1
  fi
  mkdir -p "$DATA/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --dir "$DATA/redis" \
    --appendonly yes --appendfsync everysec --daemonize yes --pidfile "$DATA/redis.pid" --logfile "$LOGS/redis.log"
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  log redis "started (127.0.0.1:$REDIS_PORT)"
}

redis_down() {
  if pid_alive "$DATA/redis.pid"; then
    kill "$(cat "$DATA/redis.pid")"
    for _ in $(seq 1 50); do pid_alive "$DATA/redis.pid" || break; sleep 0.1; done
    log redis stopped
  fi
  rm -f "$DATA/redis.pid"
}

# ---------------------------------------------------------------- RabbitMQ
# Node N (1..3): rabbit@localhost on 5672/15672/25672, rabbitN@localhost on 5671+N/15671+N/25671+N... see below.
rabbit_name() { [[ $1 -eq 1 ]] && echo rabbit@localhost || echo "rabbit$1@localhost"; }
rabbit_amqp_port() { echo $((5671 + $1)); }            # 5672, 5673, 5674
rabbit_ui_port() { echo $((15671 + $1)); }             # 15672, 15673, 15674
rabbit_dist_port() { echo $((25671 + $1 * 10)); }      # 25681, 25691, 25701 (clear of each other's +1 ctl ports)

rabbit_env() {
  local n=$1 dir="$DATA/rabbitmq/node$1"
  export HOME="$RABBIT_HOME"
  export RABBITMQ_NODENAME; RABBITMQ_NODENAME="$(rabbit_name "$n")"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export ERL_EPMD_ADDRESS=127.0.0.1   # epmd and the distribution port on loopback too
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_NODE_PORT; RABBITMQ_NODE_PORT="$(rabbit_amqp_port "$n")"
  export RABBITMQ_DIST_PORT; RABBITMQ_DIST_PORT="$(rabbit_dist_port "$n")"
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$LOGS/rabbitmq-node$n"
  export RABBITMQ_PID_FILE="$dir/rabbitmq.pid"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$ROOT/ops/rabbitmq/enabled_plugins"
}

rabbitmqctl_n() { local n=$1; shift; (rabbit_env "$n"; "$RABBIT_BIN/rabbitmqctl" -n "$(rabbit_name "$n")" "$@"); }

rabbit_up() {
  local n=$1 dir="$DATA/rabbitmq/node$1"
  if pid_alive "$dir/rabbitmq.pid" && rabbitmqctl_n "$n" status >/dev/null 2>&1; then
    log rabbitmq "$(rabbit_name "$n") running (127.0.0.1:$(rabbit_amqp_port "$n"), UI http://127.0.0.1:$(rabbit_ui_port "$n"))"
    return
  fi
  if port_open "$(rabbit_amqp_port "$n")"; then
    echo "port $(rabbit_amqp_port "$n") is taken by a broker that ops/dev.sh did not start; stop it or free the port" >&2
    exit 1
  fi
  mkdir -p "$dir" "$RABBIT_HOME" "$LOGS/rabbitmq-node$n"
  sed -e "s|@DEFINITIONS@|$ROOT/ops/rabbitmq/definitions.json|" \
      -e "s|^listeners.tcp.local = .*|listeners.tcp.local = 127.0.0.1:$(rabbit_amqp_port "$n")|" \
      -e "s|^management.tcp.port = .*|management.tcp.port = $(rabbit_ui_port "$n")|" \
      "$ROOT/ops/rabbitmq/rabbitmq.conf" >"$dir/rabbitmq.conf"
  (rabbit_env "$n"; setsid nohup "$RABBIT_BIN/rabbitmq-server" >"$LOGS/rabbitmq-node$n.out" 2>&1 &)
  (rabbit_env "$n"; timeout 120 "$RABBIT_BIN/rabbitmqctl" -n "$(rabbit_name "$n")" wait --timeout 110 "$dir/rabbitmq.pid" >/dev/null 2>&1) || {
    echo "RabbitMQ $(rabbit_name "$n") did not start; see $LOGS/rabbitmq-node$n/ and $LOGS/rabbitmq-node$n.out" >&2
    exit 1
  }
  (rabbit_env "$n"; timeout 120 "$RABBIT_BIN/rabbitmqctl" -n "$(rabbit_name "$n")" await_startup >/dev/null)
  log rabbitmq "$(rabbit_name "$n") started (127.0.0.1:$(rabbit_amqp_port "$n"), UI http://127.0.0.1:$(rabbit_ui_port "$n"))"
}

rabbit_join() {
  local n=$1
  if rabbitmqctl_n 1 cluster_status --formatter json 2>/dev/null | grep -q "\"$(rabbit_name "$n")\""; then
    return
  fi
  rabbitmqctl_n "$n" stop_app >/dev/null
  rabbitmqctl_n "$n" join_cluster rabbit@localhost >/dev/null
  rabbitmqctl_n "$n" start_app >/dev/null
  log rabbitmq "$(rabbit_name "$n") joined rabbit@localhost"
}

rabbit_down() {
  local n=$1 dir="$DATA/rabbitmq/node$1"
  if pid_alive "$dir/rabbitmq.pid"; then
    rabbitmqctl_n "$n" stop >/dev/null 2>&1 || kill "$(cat "$dir/rabbitmq.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do pid_alive "$dir/rabbitmq.pid" || break; sleep 0.2; done
    log rabbitmq "$(rabbit_name "$n") stopped"
  fi
}

# ---------------------------------------------------------------- commands
up() {
  mkdir -p "$DATA" "$LOGS"
  chmod 755 "$DATA"
  install_packages
  postgres_up
  redis_up
  rabbit_up 1
  if [[ "${1:-}" == "--cluster" ]]; then
    rabbit_up 2; rabbit_join 2
    rabbit_up 3; rabbit_join 3
  fi
}

down() {
  mkdir -p "$DATA" "$LOGS"
  for n in 3 2 1; do rabbit_down "$n"; done
  redis_down
  postgres_down
}

status() {
  local pgdata; pgdata="$(pg_data_dir)"
  as_pg "$PG_BIN/pg_ctl" -D "$pgdata" status >/dev/null 2>&1 && log postgres running || log postgres stopped
  pid_alive "$DATA/redis.pid" && log redis running || log redis stopped
  for n in 1 2 3; do
    pid_alive "$DATA/rabbitmq/node$n/rabbitmq.pid" && log rabbitmq "$(rabbit_name "$n") running" || { [[ $n -eq 1 ]] && log rabbitmq stopped; }
  done
  return 0
}

service() {
  local action=$1 name=${2:-}
  case "$name" in
    postgres) "postgres_$action" ;;
    redis) "redis_$action" ;;
    rabbitmq) "rabbit_$action" "${3:-1}" ;;
    *) echo "usage: ops/dev.sh $action-service postgres|redis|rabbitmq [node]" >&2; exit 2 ;;
  esac
}

cmd="${1:-}"; shift || true
case "$cmd" in
  up) up "$@" ;;
  down) down ;;
  status) status ;;
  run) up; cd "$ROOT"; exec dotnet run --project src/SkillForge.Worker -c Release ;;
  test) up; cd "$ROOT"; exec dotnet test SkillForge.Messaging.sln "$@" ;;
  demo) up; exec "$ROOT/ops/demo.sh" ;;
  stop-service) mkdir -p "$LOGS"; service down "$@" ;;
  start-service) mkdir -p "$LOGS"; service up "$@" ;;
  psql) PGPASSWORD=skillforge psql -h 127.0.0.1 -p "$PG_PORT" -U skillforge -d skillforge ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
