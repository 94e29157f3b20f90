#!/usr/bin/env bash
# A private three-node RabbitMQ cluster from the installed rabbitmq-server, for
# `npm run test:cluster`: nodes c1..c3@localhost, AMQP 5691-5693, management 15681-15683,
# distribution 25691-25693, data under /var/tmp/cluster-<run>. Nothing is shared with the
# machine's broker. Without arguments: start the cluster, run the cluster spec against it, and
# tear everything down afterwards, also when the spec fails or the run is interrupted.
#
#   cluster.sh [jest options]  the whole run (what npm run test:cluster does)
#   cluster.sh kill N           kill -9 node N of the current run (the spec calls this)
#   cluster.sh start N          start node N again; it rejoins the cluster
set -euo pipefail
cd "$(dirname "$0")/../.."

NODES=(1 2 3)
CLUSTER_BASE=${CLUSTER_BASE:-/var/tmp/cluster-${CLUSTER_RUN:-$$}}

node_name() { echo "c$1@localhost"; }
amqp_port() { echo $((5690 + $1)); }
management_port() { echo $((15680 + $1)); }

# One node's private environment; rabbitmq-server runs as the rabbitmq user and writes here.
node_env() {
  local n=$1 dir=$CLUSTER_BASE/c$1
  export RABBITMQ_NODENAME RABBITMQ_NODE_PORT RABBITMQ_DIST_PORT RABBITMQ_MNESIA_BASE \
    RABBITMQ_LOG_BASE RABBITMQ_PID_FILE RABBITMQ_SERVER_START_ARGS \
    RABBITMQ_ENABLED_PLUGINS_FILE RABBITMQ_CONFIG_FILE
  RABBITMQ_NODENAME=$(node_name "$n")
  RABBITMQ_NODE_PORT=$(amqp_port "$n")
  RABBITMQ_DIST_PORT=$((25690 + n))
  RABBITMQ_MNESIA_BASE=$dir/mnesia
  RABBITMQ_LOG_BASE=$dir/log
  RABBITMQ_PID_FILE=$dir/rabbit.pid
  RABBITMQ_SERVER_START_ARGS="-rabbitmq_management listener [{port,$(management_port "$n")}]"
  RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
  RABBITMQ_CONFIG_FILE=$dir/rabbitmq
}

ctl() { local n=$1; shift; rabbitmqctl -n "$(node_name "$n")" -q "$@"; }

wait_for() {
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq "$seconds"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "Timed out after ${seconds}s waiting for $what" >&2
  return 1
}

start_node() {
  local n=$1 dir=$CLUSTER_BASE/c$1
  mkdir -p "$dir/mnesia" "$dir/log"
  [[ -f $dir/enabled_plugins ]] || echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  [[ -f $dir/rabbitmq.conf ]] || printf '%s\n' \
    'cluster_partition_handling = pause_minority' >"$dir/rabbitmq.conf"
  chown -R rabbitmq:rabbitmq "$dir"
  (node_env "$n" && rabbitmq-server -detached)
  wait_for "node $(node_name "$n") to start" 90 ctl "$n" await_startup
  wait_for "the management API of $(node_name "$n")" 60 \
    curl -sf -u guest:guest "http://127.0.0.1:$(management_port "$n")/api/overview"
}

kill_node() {
  local pid
  pid=$(cat "$CLUSTER_BASE/c$1/rabbit.pid")
  kill -9 "$pid"
  wait_for "node $(node_name "$1") to be gone" 30 bash -c "! kill -0 $pid"
}

join_cluster() {
  local n=$1
  ctl "$n" stop_app
  ctl "$n" join_cluster "$(node_name 1)"
  ctl "$n" start_app
  wait_for "node $(node_name "$n") to run" 60 ctl "$n" await_startup
}

stop_node() {
  local n=$1 pid_file=$CLUSTER_BASE/c$1/rabbit.pid pid
  [[ -f $pid_file ]] || return 0
  pid=$(cat "$pid_file")
  ctl "$n" stop >/dev/null 2>&1 || true
  # Only the node this run started: its own PID, never a process found by name.
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
}

teardown() {
  for n in "${NODES[@]}"; do stop_node "$n"; done
  rm -rf "$CLUSTER_BASE"
}

case ${1:-} in
  kill) kill_node "$2"; exit 0 ;;
  start) start_node "$2"; exit 0 ;;
esac

for n in "${NODES[@]}"; do
  if curl -s -o /dev/null "http://127.0.0.1:$(management_port "$n")/"; then
    echo "Port $(management_port "$n") is taken: is another cluster run still up?" >&2
    exit 1
  fi
done

trap teardown EXIT
# The nodes share the rabbitmq user's Erlang cookie, so they can cluster.
for n in "${NODES[@]}"; do start_node "$n"; done
for n in "${NODES[@]:1}"; do join_cluster "$n"; done
echo "Cluster up: $(ctl 1 cluster_status --formatter json | head -c 300)"

export CLUSTER_BASE CLUSTER_SCRIPT="$PWD/test/cluster/cluster.sh"
export CLUSTER_AMQP_URLS="amqp://guest:guest@127.0.0.1:5691,amqp://guest:guest@127.0.0.1:5692,amqp://guest:guest@127.0.0.1:5693"
export CLUSTER_MANAGEMENT_URLS="http://guest:guest@127.0.0.1:15681,http://guest:guest@127.0.0.1:15682,http://guest:guest@127.0.0.1:15683"
# The test helpers create a virtual host through the first node; services get all three.
RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5691 RABBITMQ_MANAGEMENT_URL=http://guest:guest@127.0.0.1:15681 \
  npx jest --selectProjects cluster --runInBand "$@"
