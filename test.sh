#!/usr/bin/env bash
# Runs every test suite (.NET, web unit tests, browser tests) and ends with one line: "N passed, N failed".
# Needs the .NET SDK, Node 20+ and /usr/bin/chromium (.ci/run installs what is missing on a fresh machine).
set -uo pipefail
cd "$(dirname "$0")"
logs=$(mktemp -d)
passed=0
failed=0
status=0

add() { passed=$((passed + $1)); failed=$((failed + $2)); }

echo "== build (server, web assets, tests)"
if ! dotnet build Kefu.slnx -c Release > "$logs/build.log" 2>&1; then
  echo "build failed"; tail -40 "$logs/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  # No "|| true" after the pipeline: under pipefail it would run and reset PIPESTATUS, hiding the test's exit code.
  dotnet test "$project" -c Release --no-build 2>&1 | tee "$logs/$name.log" | grep -E "^\s+Failed |Passed!|Failed!|Skipped |error"
  code=${PIPESTATUS[0]}
  line=$(grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+" "$logs/$name.log" | tail -1)
  if [ -n "$line" ]; then
    f=$(echo "$line" | sed -E 's/.*Failed: +([0-9]+),.*/\1/')
    p=$(echo "$line" | sed -E 's/.*Passed: +([0-9]+),.*/\1/')
    add "$p" "$f"
  fi
  if [ "$code" -ne 0 ]; then
    status=1
    [ -z "$line" ] && add 0 1
    # Each failure's message and the top of its stack, so a CI log says why without the log folder.
    awk '/^  Failed /{n=16} n>0{print; n--}' "$logs/$name.log" | head -120
  fi
done

if [ -d web ]; then
  echo "== web unit tests (vitest)"
  (cd web && npm test 2>&1) | tee "$logs/web.log" | tail -15
  code=${PIPESTATUS[0]}
  line=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/web.log" | grep -E "^ +Tests +" | tail -1)
  p=$(echo "$line" | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+" || echo 0)
  f=$(echo "$line" | grep -oE "[0-9]+ failed" | grep -oE "[0-9]+" || echo 0)
  add "${p:-0}" "${f:-0}"
  if [ "$code" -ne 0 ]; then status=1; [ -z "$line" ] && add 0 1; fi

  echo "== browser tests (playwright-core + chromium)"
  (cd web && npm run test:e2e 2>&1) | tee "$logs/e2e.log" | grep -E "^(not ok|ok|# (pass|fail|skip))"
  code=${PIPESTATUS[0]}
  p=$(grep -E "^# pass " "$logs/e2e.log" | tail -1 | grep -oE "[0-9]+")
  f=$(grep -E "^# fail " "$logs/e2e.log" | tail -1 | grep -oE "[0-9]+")
  add "${p:-0}" "${f:-0}"
  if [ "$code" -ne 0 ]; then status=1; [ -z "$p$f" ] && add 0 1; fi
fi

[ "$failed" -gt 0 ] && status=1
echo "logs: $logs"
echo "$passed passed, $failed failed"
exit $status
