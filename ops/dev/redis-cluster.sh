# A Redis Cluster of three masters and three replicas on loopback, sourced by ops/dev.sh (`up --redis-cluster`,
# `redis-node`). Ports 7001-7006 (cluster bus 17001-17006), data under .data/redis-cluster/<port>, the same users
# as the single Redis (ops/redis/users.acl; replicas sign in to their master as admin). A master that stops
# answering for 2 s is failed over to its replica; the other masters keep serving their slots meanwhile
# (cluster-require-full-coverage no), so a fault costs only the keys of the dead master's slots, for ~2 s.
RC_PORTS=(7001 7002 7003 7004 7005 7006)

rc_dir() { echo "$DATA/redis-cluster/$1"; }
rc_pidfile() { echo "$(rc_dir "$1")/redis.pid"; }
rc_admin() { local port=$1; shift; REDISCLI_AUTH=admin redis-cli --user admin -h 127.0.0.1 -p "$port" "$@"; }
rc_ping() { [[ "$(rc_admin "$1" ping 2>/dev/null)" == PONG ]]; }

rc_start() {
  local port=$1 dir; dir="$(rc_dir "$1")"
  pid_alive "$(rc_pidfile "$port")" redis-server && return 0
  port_open "$port" && die "port $port is taken by a process that ops/dev.sh did not start; stop it or free the port"
  mkdir -p "$dir"
  setsid nohup redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --dir "$dir" \
    --appendonly yes --appendfsync everysec --aclfile "$ROOT/ops/redis/users.acl" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
    --cluster-require-full-coverage no --masteruser admin --masterauth admin \
    --daemonize no --pidfile "$(rc_pidfile "$port")" --logfile "$LOGS/redis-cluster-$port.log" </dev/null >>"$LOGS/redis-cluster.out" 2>&1 &
}

# True when every slot is served by a master that answers, as the first node that answers sees the cluster, and
# three masters are up.
rc_ok() {
  local port
  for port in "${RC_PORTS[@]}"; do
    rc_ping "$port" || continue
    rc_admin "$port" cluster info 2>/dev/null | tr -d '\r' | grep -qx 'cluster_state:ok' || return 1
    # Right after a kill the cluster still says ok (the node is only suspected); three live masters says it is over.
    [[ "$(rc_masters | wc -l)" -eq 3 ]]
    return
  done
  return 1
}

# The ports of the masters that serve slots now, one a line.
rc_masters() {
  local port
  for port in "${RC_PORTS[@]}"; do
    rc_ping "$port" || continue
    rc_admin "$port" cluster nodes 2>/dev/null | awk '$3 ~ /master/ && $3 !~ /fail/ && $8 == "connected" && NF >= 9 { split($2, a, "[:@]"); print a[2] }' | sort -n
    return 0
  done
  return 1
}

redis_cluster_up() {
  local port state=running
  for port in "${RC_PORTS[@]}"; do pid_alive "$(rc_pidfile "$port")" redis-server || state=started; rc_start "$port"; done
  for port in "${RC_PORTS[@]}"; do wait_for 30 rc_ping "$port" || die "Redis $port does not answer; see $LOGS/redis-cluster-$port.log"; done
  # Formed once: the slots are in every node's nodes.conf from then on.
  if [[ "$(rc_admin "${RC_PORTS[0]}" cluster info | tr -d '\r' | awk -F: '$1 == "cluster_slots_assigned" { print $2 }')" == 0 ]]; then
    local hosts=(); for port in "${RC_PORTS[@]}"; do hosts+=("127.0.0.1:$port"); done
    REDISCLI_AUTH=admin redis-cli --user admin --cluster create "${hosts[@]}" --cluster-replicas 1 --cluster-yes \
      >>"$LOGS/redis-cluster.out" 2>&1 || die "redis-cli --cluster create failed; see $LOGS/redis-cluster.out"
  fi
  wait_for 60 rc_ok || die "the Redis Cluster did not reach cluster_state:ok; see $LOGS/redis-cluster-*.log"
  say redis-cl "$state  127.0.0.1:7001-7006, masters $(rc_masters | tr '\n' ' ')(data .data/redis-cluster)"
}

redis_cluster_down() {
  local port
  for port in "${RC_PORTS[@]}"; do
    pid_alive "$(rc_pidfile "$port")" redis-server || continue
    kill_pidfile "$(rc_pidfile "$port")" redis-server 30
    say redis-cl "$port stopped"
  done
}

redis_cluster_status() {
  [[ -d "$DATA/redis-cluster" ]] || return 0
  if rc_masters >/dev/null 2>&1; then say redis-cl "running  masters $(rc_masters | tr '\n' ' ')$(rc_ok && echo 'state ok' || echo 'state FAIL')"; else say redis-cl stopped; fi
}

# `redis-node kill PORT`: SIGKILL, no chance to save; `redis-node start PORT`: back, as a replica if it was failed over.
redis_node() {
  local action=${1:-} port=${2:-}
  [[ " ${RC_PORTS[*]} " == *" $port "* && "$action" =~ ^(kill|start)$ ]] || die "usage: ops/dev.sh redis-node kill|start 7001..7006"
  prepare
  if [[ "$action" == kill ]]; then
    pid_alive "$(rc_pidfile "$port")" redis-server && kill -9 "$(<"$(rc_pidfile "$port")")"
    say redis-cl "$port killed"
  else
    rc_start "$port"; wait_for 30 rc_ping "$port" || die "Redis $port does not answer; see $LOGS/redis-cluster-$port.log"
    say redis-cl "$port started"
  fi
}
