#!/usr/bin/env bash
# End-to-end provisioning benchmark (issue 7): N users pushed into Provisio, one group holding
# them all assigned to a SCIM 2.0 application backed by `provisio-emulator scim2`; measures
# users/s until every account exists in the emulator, next to the emulator's own ceiling for
# the same POST (wrk, same run), then the time of a no-change incremental and full sync and
# the emulator's write count during them (must be 0). Provisioning runs twice in the same run,
# into a fresh emulator each time: once with the emulator's /Bulk off (--bulk-max-operations
# 0: one request per lookup and per create) and once with /Bulk on (the connector batches
# lookups and creates).
# ONLY_BULK=1 skips the per-request run (for the large no-change sync figures). As a baseline
# for the sync times, the same run also times one read of every user through Provisio's own
# /scim/v2 (1,000 a page): the least a sync that re-evaluates every pair must read.
# Usage: [ONLY_BULK=1] bench/run_provisioning.sh [N=20000] [WORKERS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
WORKERS="${2:-32}"
BIN=build/bin
WRK_DIR="$(pwd)/bench/wrk"
work="$(mktemp -d)"
trap 'kill $emu_pid $srv_pid 2>/dev/null || true; wait 2>/dev/null; rm -rf "$work"' EXIT

now() { date +%s.%N; }
listen() {  # FILE: waits for "listening on URL" and prints URL
  for _ in $(seq 1 200); do
    grep -m1 -o 'http://[0-9.:]*' "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

$BIN/provisio-emulator scim2 --listen 127.0.0.1:0 --token bench > "$work/emu.out" 2>/dev/null &
emu_pid=$!
emu=$(listen "$work/emu.out")
printf '[provisioning]\nworkers = %s\n' "$WORKERS" > "$work/provisio.toml"
PROVISIO_LOG_LEVEL=warn PROVISIO_BOOTSTRAP_ADMIN_EMAIL=bench@example.com \
  PROVISIO_BOOTSTRAP_ADMIN_PASSWORD='bench password 1' \
  $BIN/provisio serve --listen 127.0.0.1:0 --data-dir "$work/data" --config "$work/provisio.toml" \
  > "$work/srv.out" 2>"$work/srv.err" &
srv_pid=$!
url=$(listen "$work/srv.out")

# The emulator's ceiling for the same request, measured first (then its users are cleared by
# a restart so the run starts empty).
ceiling=$(SCIM_TOKEN=bench SCIM_WRK_DIR="$WRK_DIR" wrk -t2 -c64 -d5s -s "$WRK_DIR/post_user.lua" "$emu" \
  | awk '/Requests\/sec/ {print $2}')
kill $emu_pid; wait $emu_pid 2>/dev/null || true
port=${emu##*:}
$BIN/provisio-emulator scim2 --listen "127.0.0.1:$port" --token bench > "$work/emu2.out" 2>/dev/null &
emu_pid=$!
listen "$work/emu2.out" >/dev/null

jar="$work/jar"
csrf=$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench password 1"}' "$url/api/v1/session" | jq -r .csrf_token)
api() { curl -fsS -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -X "$1" "$url$2" ${3:+-d "$3"}; }
token=$(api POST /api/v1/scim-tokens '{"name":"bench"}' | jq -r .token)

t_load=$(now)
for ((start = 0; start < N; start += 1000)); do
  jq -n --argjson s "$start" --argjson n "$N" '{schemas:["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
    Operations:[range($s; [$s + 1000, $n] | min) | {method:"POST", path:"/Users", bulkId:("u\(.)"),
      data:{schemas:["urn:ietf:params:scim:schemas:core:2.0:User"], userName:("bench\(.)@example.com"),
            name:{givenName:"Bench", familyName:"User \(.)"}, emails:[{value:("bench\(.)@example.com"), type:"work", primary:true}],
            active:true}}]}' > "$work/bulk.json"
  curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
    --data-binary @"$work/bulk.json" "$url/scim/v2/Bulk" | jq -r '.Operations[].location' | sed 's|.*/||' >> "$work/ids"
done
t_loaded=$(now)
group=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
  -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Everyone"}' \
  "$url/scim/v2/Groups" | jq -r .id)
split -l 5000 "$work/ids" "$work/chunk."
for f in "$work"/chunk.*; do
  jq -R -s 'split("\n") | map(select(length > 0)) | {schemas:["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations:[{op:"add", path:"members", value: map({value: .})}]}' "$f" > "$work/patch.json"
  curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
    --data-binary @"$work/patch.json" "$url/scim/v2/Groups/$group"
done
users() { curl -fsS "$emu/_emulator/stats" | jq .users; }
writes() { curl -fsS "$emu/_emulator/stats" | jq .writes; }
quiet() { api GET /api/v1/status | jq -e '.queue_depth == 0 and .in_flight == 0' >/dev/null; }

# provision NAME BULK_MAX_OPERATIONS: a fresh emulator on the same port, a new application
# assigned the group; sets p_seconds and p_requests (the emulator's requests meanwhile).
provision() {
  kill $emu_pid; wait $emu_pid 2>/dev/null || true
  $BIN/provisio-emulator scim2 --listen "127.0.0.1:$port" --token bench --bulk-max-operations "$2" \
    > "$work/emu-$1.out" 2>/dev/null &
  emu_pid=$!
  listen "$work/emu-$1.out" >/dev/null
  local conn t_a t_b
  conn=$(api POST /api/v1/connections "{\"name\":\"emu-$1\",\"type\":\"scim2\",\"base_url\":\"$emu/scim/v2\",\"auth\":{\"kind\":\"bearer\",\"token\":\"bench\"}}" | jq -r .id)
  # Users only: group push (on by default where the target has groups) would also push the
  # one group of N members, which is not what these figures measure.
  app=$(api POST /api/v1/applications "{\"template\":\"scim2\",\"name\":\"bench-$1\",\"capabilities\":[\"provisioning\"],\"connection_id\":\"$conn\",\"settings\":{\"push_groups\":false}}" | jq -r .id)
  t_a=$(now)
  api POST "/api/v1/applications/$app/assignments" "{\"group_id\":\"$group\"}" >/dev/null
  until [ "$(users)" -ge "$N" ]; do sleep 0.2; done
  t_b=$(now)
  until quiet; do sleep 0.1; done
  p_seconds=$(echo "$t_b - $t_a" | bc)
  p_requests=$(curl -fsS "$emu/_emulator/stats" | jq '[.requests[]] | add')
}
if [ -z "${ONLY_BULK:-}" ]; then
  provision single 0
  provision_single=$p_seconds requests_single=$p_requests
fi
provision bulk 1000
provision_bulk=$p_seconds requests_bulk=$p_requests

requests() { curl -fsS "$emu/_emulator/stats" | jq '[.requests[]] | add'; }
sync_time() {  # MODE -> seconds until the queue is empty again, the writes and requests it made
  local w0 r0 t_a t_b
  w0=$(writes)
  r0=$(requests)
  t_a=$(now)
  api POST "/api/v1/applications/$app/sync" "{\"mode\":\"$1\"}" >/dev/null
  sleep 0.05
  until quiet; do sleep 0.05; done
  t_b=$(now)
  echo "$(echo "$t_b - $t_a" | bc) $(( $(writes) - w0 )) $(( $(requests) - r0 ))"
}
read -r inc inc_writes inc_requests < <(sync_time incremental)
read -r full full_writes full_requests < <(sync_time full)
# Baseline: every user read once through /scim/v2, 1,000 a page.
t_a=$(now)
for ((start = 1; start <= N; start += 1000)); do
  curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$url/scim/v2/Users?count=1000&startIndex=$start"
done
list_all=$(echo "$(now) - $t_a" | bc)
rss=$(awk '/VmHWM/ {print $2}' /proc/$srv_pid/status)

rate_bulk=$(echo "$N / $provision_bulk" | bc)
echo "users                      $N (loaded through Bulk in $(echo "$t_loaded - $t_load" | bc) s)"
echo "emulator ceiling (wrk)     $ceiling req/s"
if [ -z "${ONLY_BULK:-}" ]; then
  rate_single=$(echo "$N / $provision_single" | bc)
  echo "provisioning, per request  $rate_single users/s  ($provision_single s, $requests_single requests)  ratio to ceiling $(echo "scale=2; $rate_single / $ceiling" | bc)"
fi
echo "provisioning, /Bulk        $rate_bulk users/s  ($provision_bulk s, $requests_bulk requests)  ratio to ceiling $(echo "scale=2; $rate_bulk / $ceiling" | bc)"
echo "baseline: read all users   ${list_all} s through /scim/v2 (1,000 a page)"
echo "no-change incremental sync ${inc} s (ratio to baseline $(echo "scale=2; $inc / $list_all" | bc)), ${inc_requests} target requests, ${inc_writes} writes"
echo "no-change full sync        ${full} s (ratio to baseline $(echo "scale=2; $full / $list_all" | bc)), ${full_requests} target requests, ${full_writes} writes"
echo "server peak RSS            $((rss / 1024)) MiB"
