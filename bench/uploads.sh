#!/usr/bin/env bash
# Upload benchmark against a server it starts itself (fresh data folder, Release build):
#   1. one 1 GiB upload in a single tus PATCH over loopback: throughput and the server's RSS growth;
#   2. 100 concurrent 10 MiB uploads (one PATCH each): total time, aggregate throughput, RSS growth.
# RSS is sampled from /proc every 100 ms; growth is the peak minus the RSS just before the uploads.
# Needs curl and python3. Prints a Markdown table; exits non-zero only if an upload fails.
#   bench/uploads.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."

port="${1:-5190}"
base="http://127.0.0.1:$port"
work="$(mktemp -d /tmp/kefu-upload-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/Kefu.Server -c Release -p:SkipWebBuild=true -nologo -v q -clp:ErrorsOnly

Kefu__DataDir="$work/data" Kefu__Admin__Username=admin Kefu__Admin__Password=bench-password-1 \
Kefu__Uploads__MaxBytes=$((2 * 1024 * 1024 * 1024)) Kefu__Uploads__Defaults__QuotaBytes=$((8 * 1024 * 1024 * 1024)) \
Kefu__Limits__VisitorSessionsPerMinute=100000 Logging__LogLevel__Default=Warning \
  dotnet src/Kefu.Server/bin/Release/net10.0/Kefu.Server.dll --urls "$base" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null && break; sleep 0.3; done
curl -fs "$base/readyz" >/dev/null || { echo "server did not start:"; cat "$work/server.log"; exit 1; }

token="$(curl -fs -H 'Content-Type: application/json' -d '{"siteKey":"default"}' "$base/api/v1/visitor/sessions" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
sample_peak() { # writes the peak RSS (kB) seen until the file "$work/stop" exists
  local peak=0 now
  while [[ ! -e "$work/stop" ]]; do now="$(rss_kb)"; (( now > peak )) && peak=$now; sleep 0.1; done
  echo "$peak" >"$work/peak"
}
upload() { # upload FILE: create, then one PATCH streaming the file; prints the final offset
  local file="$1" length location
  length="$(stat -c %s "$file")"
  location="$(curl -fs -D - -o /dev/null -X POST -H "Authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
    -H "Upload-Length: $length" "$base/api/v1/uploads" | tr -d '\r' | awk -F': ' 'tolower($1)=="location" {print $2}')"
  curl -fs -D - -o /dev/null -X PATCH -T "$file" -H "Authorization: Bearer $token" -H 'Tus-Resumable: 1.0.0' \
    -H 'Content-Type: application/offset+octet-stream' -H 'Upload-Offset: 0' -H 'Expect:' "$base$location" \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="upload-offset" {print $2}'
}
measure() { # measure NAME COMMAND...: runs the command while sampling RSS; prints "seconds baseline_kb peak_kb"
  rm -f "$work/stop" "$work/peak"
  local before start end
  before="$(rss_kb)"
  sample_peak & local sampler=$!
  start="$(date +%s.%N)"
  "$@"
  end="$(date +%s.%N)"
  touch "$work/stop"; wait "$sampler"
  echo "$(python3 -c "print(f'{$end - $start:.2f}')") $before $(cat "$work/peak")"
}

head -c $((1024 * 1024 * 1024)) /dev/urandom >"$work/1g.bin"
head -c $((10 * 1024 * 1024)) /dev/urandom >"$work/10m.bin"
upload "$work/10m.bin" >/dev/null # warm-up

one_gib() { [[ "$(upload "$work/1g.bin")" == "$((1024 * 1024 * 1024))" ]] || { echo "1 GiB upload failed" >&2; exit 1; }; }
read -r t1 b1 p1 < <(measure one_gib)

hundred() {
  local pids=() failed=0
  for i in $(seq 1 100); do (upload "$work/10m.bin" >"$work/offset.$i") & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  for i in $(seq 1 100); do [[ "$(cat "$work/offset.$i")" == "$((10 * 1024 * 1024))" ]] || failed=1; done
  (( failed == 0 )) || { echo "a concurrent upload failed" >&2; exit 1; }
}
read -r t2 b2 p2 < <(measure hundred)

python3 - "$t1" "$b1" "$p1" "$t2" "$b2" "$p2" <<'PY'
import sys
t1, b1, p1, t2, b2, p2 = map(float, sys.argv[1:])
print("| scenario | time | throughput | server RSS before | peak | growth |")
print("|---|---|---|---|---|---|")
print(f"| 1 GiB, one PATCH | {t1:.2f} s | {1024 / t1:.0f} MiB/s | {b1 / 1024:.0f} MiB | {p1 / 1024:.0f} MiB | {(p1 - b1) / 1024:.0f} MiB |")
print(f"| 100 x 10 MiB concurrent | {t2:.2f} s | {1000 / t2:.0f} MiB/s | {b2 / 1024:.0f} MiB | {p2 / 1024:.0f} MiB | {(p2 - b2) / 1024:.0f} MiB |")
PY
