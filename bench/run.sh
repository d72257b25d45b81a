#!/usr/bin/env bash
# Runs the Kefu load generator against a server it starts itself (fresh data folder, limits lifted).
#   bench/run.sh quick [options]  short chat + reconnect storm, under a minute after the build
#   bench/run.sh full  [options]  idle 19k, chat 2k msg/s with 19k online, reconnect storm, burst;
#                                 writes the results into docs/benchmarks.md
# Extra options go to Kefu.LoadGen (see bench/README.md). Exits non-zero only on lost, duplicated or
# reordered messages or on errors, never on a missed performance target.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-quick}"
shift || true

dotnet build src/Kefu.Server -c Release -p:SkipWebBuild=true -nologo -v q -clp:ErrorsOnly
dotnet build bench/Kefu.LoadGen -c Release -nologo -v q -clp:ErrorsOnly

server=src/Kefu.Server/bin/Release/net10.0/Kefu.Server.dll
loadgen=bench/Kefu.LoadGen/bin/Release/net10.0/Kefu.LoadGen.dll

case "$mode" in
  quick) exec dotnet "$loadgen" quick --server-dll "$server" "$@" ;;
  full) exec dotnet "$loadgen" full --server-dll "$server" --markdown docs/benchmarks.md "$@" ;;
  *) echo "usage: bench/run.sh quick|full [options]" >&2; exit 2 ;;
esac
