#!/usr/bin/env bash
# Runs the Kefu load generator against servers it starts itself (fresh data folders, limits lifted).
#   bench/run.sh quick [options]  short chat + reconnect storm, under a minute after the build
#   bench/run.sh full  [options]  idle 19k, chat 2k msg/s with 19k online, reconnect storm, burst;
#                                 writes the results into docs/benchmarks.md
#   bench/run.sh cluster          1 node versus 3: starts PostgreSQL and Redis on loopback, then runs idle and
#                                 chat on 3 nodes (PostgreSQL + Redis), 1 node (PostgreSQL + Redis) and
#                                 1 node (SQLite); sizes from the KEFU_BENCH_* variables below (full size by
#                                 default); writes bench/results/cluster-<time>.md
# Extra options go to Kefu.LoadGen (Kefu.LoadGen.dll --help; docs/benchmarks.md). Exits non-zero only on lost, duplicated or
# reordered messages, on a seq jump with the in-process bus, or on errors; never on a missed performance target.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-quick}"
shift || true

dotnet build src/Kefu.Server -c Release -p:SkipWebBuild=true -nologo -v q -clp:ErrorsOnly
dotnet build bench/Kefu.LoadGen -c Release -nologo -v q -clp:ErrorsOnly

server=src/Kefu.Server/bin/Release/net10.0/Kefu.Server.dll
loadgen=bench/Kefu.LoadGen/bin/Release/net10.0/Kefu.LoadGen.dll

# Every socket is a file: the servers and the workers inherit this limit (a node caps its WebSockets about 800 below it at 20,000; docs/configuration.md).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

case "$mode" in
  quick) exec dotnet "$loadgen" quick --server-dll "$server" "$@" ;;
  full) exec dotnet "$loadgen" full --server-dll "$server" --markdown docs/benchmarks.md "$@" ;;
  cluster) exec bench/cluster.sh "$loadgen" "$server" "$@" ;;
  *) echo "usage: bench/run.sh quick|full|cluster [options]" >&2; exit 2 ;;
esac
