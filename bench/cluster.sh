#!/usr/bin/env bash
# 1 node versus 3 nodes (started by bench/run.sh cluster after the build):
#   1. 3 nodes on PostgreSQL + Redis: idle with KEFU_BENCH_CLUSTER_CONNECTIONS held across the nodes, then
#      chat at KEFU_BENCH_RATE msg/s with as many online (visitors and agents on different nodes);
#   2. 1 node on PostgreSQL + Redis and 3. 1 node on SQLite: the same with KEFU_BENCH_SINGLE_CONNECTIONS
#      (one process holds at most its open-file limit minus 500 sockets).
# PostgreSQL (initdb in a temp folder, fsync on) and Redis (no persistence) run on loopback on free ports
# and are removed at the end. Each loadgen run writes its own report; this script joins them into
# bench/results/cluster-<time>.md. Sizes (defaults are the full measurement):
#   KEFU_BENCH_NODES=3 KEFU_BENCH_CLUSTER_CONNECTIONS=55000 KEFU_BENCH_SINGLE_CONNECTIONS=19000
#   KEFU_BENCH_RATE=2000 KEFU_BENCH_PAIRS=2000 KEFU_BENCH_AGENTS=200 KEFU_BENCH_SECONDS=60
#   KEFU_BENCH_IDLE_SECONDS=60 KEFU_BENCH_RUNS="cluster single-postgres single-sqlite"
# KEFU_BENCH_RUNS=bus-blip (not in the default): 1 node on PostgreSQL + Redis chatting with
# KEFU_BENCH_SINGLE_CONNECTIONS online while its Redis connections are killed; how long the node takes to
# refresh its clients, and whether the clients heal every message the bus dropped.
set -euo pipefail
loadgen="$1"; server="$2"; shift 2

nodes=${KEFU_BENCH_NODES:-3}
cluster_connections=${KEFU_BENCH_CLUSTER_CONNECTIONS:-55000}
single_connections=${KEFU_BENCH_SINGLE_CONNECTIONS:-19000}
rate=${KEFU_BENCH_RATE:-2000}
pairs=${KEFU_BENCH_PAIRS:-2000}
agents=${KEFU_BENCH_AGENTS:-200}
seconds=${KEFU_BENCH_SECONDS:-60}
idle_seconds=${KEFU_BENCH_IDLE_SECONDS:-60}
runs=${KEFU_BENCH_RUNS:-cluster single-postgres single-sqlite}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- limits: open files per process and ephemeral ports per (source address, node) ---
limit=$(ulimit -n)
per_node=$(( (cluster_connections + nodes - 1) / nodes + agents ))
read -r port_low port_high < /proc/sys/net/ipv4/ip_local_port_range
ports=$(( port_high - port_low + 1 ))
echo "open files per process: $limit (a node caps its WebSockets at about $((limit - 800)), see docs/configuration.md; $per_node per node planned)"
echo "ephemeral ports: $port_low-$port_high = $ports per source address and node; the load generator uses 8 source addresses in 127.0.0.0/8 per worker, at most 5,000 connections each"
if [ "$per_node" -gt $((limit - 800)) ] || [ "$single_connections" -gt $((limit - 800)) ]; then
  echo "too many connections for one process under an open-file limit of $limit: lower the sizes or raise the limit" >&2
  exit 2
fi

# --- PostgreSQL and Redis on loopback ---
pg_bin=$(dirname "$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")
createdb=$(command -v createdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/createdb 2>/dev/null | sort -V | tail -1)
[ -x "$pg_bin/initdb" ] && [ -x "$createdb" ] || { echo "PostgreSQL binaries (initdb, pg_ctl, createdb) not found: apt-get install postgresql" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server not found: apt-get install redis-server" >&2; exit 2; }
work=$(mktemp -d /tmp/kefu-bench-cluster-XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root.
  user=postgres; id -u postgres >/dev/null 2>&1 || { id -u kefupg >/dev/null 2>&1 || useradd -r -M kefupg; user=kefupg; }
  chown "$user" "$work"; as_pg=(runuser -u "$user" --)
fi
pg_port=$(free_port); redis_port=$(free_port)
redis_pid=
cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" stop -m fast -w >/dev/null 2>&1 || true
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C >"$work/initdb.log"
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=$(( nodes * 100 + 50 ))" >/dev/null
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"

stamp=$(date -u +%Y%m%d-%H%M%S)
out=bench/results/cluster-$stamp
mkdir -p "$out"
summary=bench/results/cluster-$stamp.md
{
  echo "# 1 node versus $nodes nodes ($stamp UTC)"
  echo
  echo "Sizes: $cluster_connections connections across $nodes nodes, $single_connections on one node; chat $rate msg/s, $pairs pairs, $agents agents, $seconds s; idle hold $idle_seconds s."
  echo
} >"$summary"
status=0

postgres_env() {
  "${as_pg[@]}" "$createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$1"
  echo --server-env Kefu__Store=postgres --server-env "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1" \
    --server-env Kefu__Bus=redis --server-env "ConnectionStrings__Redis=127.0.0.1:$redis_port,abortConnect=false"
}

run() { # name nodes connections [server options...]
  local name=$1 count=$2 connections=$3; shift 3
  echo "== $name: $count node(s), $connections connections"
  local code=0
  dotnet "$loadgen" idle,chat --nodes "$count" --server-dll "$server" --out "$out/$name" \
    --idle-connections "$connections" --idle-seconds "$idle_seconds" \
    --connections "$connections" --pairs "$pairs" --agents "$agents" --rate "$rate" --duration "$seconds" \
    "$@" || code=$?
  [ "$code" -ne 0 ] && status=$code
  local report
  report=$(ls -d "$out/$name"/*/ | tail -1)report.md
  { echo "## $name"; echo; sed -e 's/^## Run/### Run/' -e 's/^### /#### /' "$report"; echo; } >>"$summary"
}

bus_blip() { # 1 node on PostgreSQL + Redis, chat; its Redis connections are killed 20 s into the traffic
  local name=bus-blip connections=$single_connections
  echo "== $name: 1 node, $connections connections, chat at $rate msg/s; Redis connections killed 20 s into the traffic"
  local log="$work/$name.out"
  : >"$log"
  (
    for _ in $(seq 1200); do grep -q 'of traffic before the measured run' "$log" && break; sleep 0.5; done
    sleep 20
    redis-cli -p "$redis_port" client kill type pubsub >/dev/null
    redis-cli -p "$redis_port" client kill type normal >/dev/null
    echo "[$(date -u +%T)] killed the node's Redis connections"
  ) &
  local killer=$! code=0
  # shellcheck disable=SC2046 # postgres_env prints separate options on purpose
  dotnet "$loadgen" chat --nodes 1 --server-dll "$server" --out "$out/$name" --warm-seconds 15 \
    --connections "$connections" --pairs "$pairs" --agents "$agents" --rate "$rate" --duration "$seconds" \
    --server-env Logging__LogLevel__Kefu.Redis=Information --server-env Logging__LogLevel__Kefu.Server.Messaging.BusRecovery=Information \
    $(postgres_env kefu_blip) "$@" 2>&1 | tee "$log" || code=$?
  kill "$killer" 2>/dev/null || true
  wait "$killer" 2>/dev/null || true
  [ "$code" -ne 0 ] && status=$code
  local dir report
  dir=$(ls -d "$out/$name"/*/ | tail -1)
  report=${dir}report.md
  { echo "## $name"; echo
    echo "The node's Redis connections were killed 20 s into the measured traffic. The node's log:"; echo
    { grep -hoE 'Redis bus [^;]*|Sent conversation state .*' "$dir"server-*.log || echo "(no outage in the log)"; } | sed 's/^/    /'; echo
    sed -e 's/^## Run/### Run/' -e 's/^### /#### /' "$report"; echo; } >>"$summary"
}

for r in $runs; do
  case "$r" in
    bus-blip) bus_blip "$@" ;;
    # shellcheck disable=SC2046 # postgres_env prints separate options on purpose
    cluster) run cluster "$nodes" "$cluster_connections" $(postgres_env kefu_cluster) "$@" ;;
    # shellcheck disable=SC2046
    single-postgres) run single-postgres 1 "$single_connections" $(postgres_env kefu_single) "$@" ;;
    single-sqlite) run single-sqlite 1 "$single_connections" "$@" ;;
    *) echo "unknown run $r" >&2; exit 2 ;;
  esac
done
echo "summary: $summary"
exit "$status"
