#!/usr/bin/env bash
# Reproduces bench/RESULTS-scim-server.md: Provisio's /scim/v2 under wrk (GET by id,
# filter userName eq, POST, PATCH) against a directory loaded through /Bulk, with the
# server's own /healthz under the same wrk settings as the baseline, and the server's RSS
# (from /proc) before loading, after loading and after the runs.
#
#   bench/run_scim_server.sh [BUILD_DIR] [USERS] [LOAD_BUDGET_SECONDS]
#   defaults:                 /tmp/build-scimsrv 1000000 300
# Environment: DURATION (wrk seconds per run, 10), CONNECTIONS (16), THREADS (2).
set -euo pipefail
BUILD=${1:-/tmp/build-scimsrv}
USERS=${2:-1000000}
BUDGET=${3:-300}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/provisio-scim-bench.XXXXXX)
PROVISIO="$BUILD/bin/provisio"

rss() { awk '/^VmRSS/ {print $2 " kB"}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {print $2 " kB"}' "/proc/$1/status"; }

PROVISIO_LOG_LEVEL=warn "$PROVISIO" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" \
  >"$WORK/serve.out" 2>"$WORK/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$WORK/serve.out" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$WORK/serve.out" | head -1)
TOKEN=$("$PROVISIO" scim-token create --name bench --data-dir "$WORK/data" 2>/dev/null)
echo "server pid $PID at $URL, data dir $WORK/data"
echo "RSS before loading: $(rss $PID)"

LOAD=$(python3 "$HERE/scim_server_bench.py" --url "$URL" --token "$TOKEN" --users "$USERS" \
  --budget "$BUDGET" --ids-out "$WORK/ids.txt")
echo "load: $LOAD"
CREATED=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["created"])' "$LOAD")
echo "RSS after loading $CREATED users: $(rss $PID) (peak $(hwm $PID))"
echo "database: $(du -sh "$WORK/data" | cut -f1)"

export SCIM_TOKEN=$TOKEN SCIM_IDS=$WORK/ids.txt SCIM_USERS=$CREATED SCIM_WRK_DIR=$HERE/wrk
run() {  # name, script
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$HERE/wrk/$2" "$URL")
  local rps p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
  printf '%-22s req/s %10s   p99 %8s   %s\n' "$1" "$rps" "$p99" "$errors"
}
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency"
run "healthz (baseline)" healthz.lua
run "GET /Users/{id}" get_user.lua
run "filter userName eq" filter_username.lua
run "POST /Users" post_user.lua
run "PATCH /Users/{id}" patch_user.lua
run "healthz (baseline)" healthz.lua
echo "RSS after the runs: $(rss $PID) (peak $(hwm $PID))"
rm -rf "$WORK"
