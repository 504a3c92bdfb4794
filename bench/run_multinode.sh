#!/usr/bin/env bash
# Provisioning throughput by store backend and node count (issue 12), measured in one run:
# SQLite with one node (the baseline), PostgreSQL with one node, PostgreSQL with two nodes.
# Each configuration: a fresh SCIM emulator and database, N users pushed in through SCIM Bulk,
# one group holding them all assigned to a SCIM 2.0 application; users/s is N over the time
# from the assignment until every account exists in the emulator.
# Usage: bench/run_multinode.sh [N=10000] [WORKERS=16]   (needs a release build in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
WORKERS="${2:-16}"
BIN=build/bin
work="$(mktemp -d)"
chmod 755 "$work"  # the PostgreSQL server runs as the postgres user
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash tests/postgres_fixture.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
listen() {  # FILE: waits for "listening on URL" and prints URL
  for _ in $(seq 1 400); do
    grep -m1 -o 'http://[0-9.:]*' "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

bash tests/postgres_fixture.sh start "$work/pg" >/dev/null
pg_base=$(cat "$work/pg/url")
master_key=$(head -c 32 /dev/urandom | base64)
printf '[provisioning]\nworkers = %s\n' "$WORKERS" >"$work/provisio.toml"

run() {  # NAME DATABASE_URL NODES -> prints users/s
  local name=$1 database=$2 nodes=$3 dir="$work/$1"
  mkdir -p "$dir"
  $BIN/provisio-emulator scim2 --listen 127.0.0.1:0 --token bench >"$dir/emu.out" 2>/dev/null &
  pids+=($!)
  local emu
  emu=$(listen "$dir/emu.out")
  local urls=()
  for ((i = 1; i <= nodes; i++)); do
    PROVISIO_LOG_LEVEL=warn PROVISIO_MASTER_KEY=$master_key PROVISIO_NODE_NAME="node-$i" \
      PROVISIO_BOOTSTRAP_ADMIN_EMAIL=bench@example.com PROVISIO_BOOTSTRAP_ADMIN_PASSWORD='bench password 1' \
      $BIN/provisio serve --listen 127.0.0.1:0 --data-dir "$dir/data$i" --config "$work/provisio.toml" \
      --database "$database" >"$dir/srv$i.out" 2>"$dir/srv$i.err" &
    pids+=($!)
    urls+=("$(listen "$dir/srv$i.out")")
  done
  local url=${urls[0]} jar="$dir/jar" csrf token group conn app
  csrf=$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password 1"}' "$url/api/v1/session" | jq -r .csrf_token)
  api() { curl -fsS -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -X "$1" "$url$2" ${3:+-d "$3"}; }
  token=$(api POST /api/v1/scim-tokens '{"name":"bench"}' | jq -r .token)
  for ((start = 0; start < N; start += 1000)); do
    jq -n --argjson s "$start" --argjson n "$N" '{schemas:["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations:[range($s; [$s + 1000, $n] | min) | {method:"POST", path:"/Users", bulkId:("u\(.)"),
        data:{schemas:["urn:ietf:params:scim:schemas:core:2.0:User"], userName:("bench\(.)@example.com"),
              name:{givenName:"Bench", familyName:"User \(.)"}, emails:[{value:("bench\(.)@example.com"), primary:true}],
              active:true}}]}' >"$dir/bulk.json"
    curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
      --data-binary @"$dir/bulk.json" "$url/scim/v2/Bulk" | jq -r '.Operations[].location' | sed 's|.*/||' >>"$dir/ids"
  done
  group=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
    -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Everyone"}' \
    "$url/scim/v2/Groups" | jq -r .id)
  split -l 5000 "$dir/ids" "$dir/chunk."
  for f in "$dir"/chunk.*; do
    jq -R -s 'split("\n") | map(select(length > 0)) | {schemas:["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations:[{op:"add", path:"members", value: map({value: .})}]}' "$f" >"$dir/patch.json"
    curl -fsS -o /dev/null -X PATCH -H "Authorization: Bearer $token" -H 'Content-Type: application/scim+json' \
      --data-binary @"$dir/patch.json" "$url/scim/v2/Groups/$group"
  done
  conn=$(api POST /api/v1/connections "{\"name\":\"emu\",\"type\":\"scim2\",\"base_url\":\"$emu/scim/v2\",\"auth\":{\"kind\":\"bearer\",\"token\":\"bench\"}}" | jq -r .id)
  app=$(api POST /api/v1/applications "{\"template\":\"scim2\",\"name\":\"bench\",\"capabilities\":[\"provisioning\"],\"connection_id\":\"$conn\",\"settings\":{\"deletion_threshold\":1000000}}" | jq -r .id)
  local t0 t1
  t0=$(now)
  api POST "/api/v1/applications/$app/assignments" "{\"group_id\":\"$group\"}" >/dev/null
  until [ "$(curl -fsS "$emu/_emulator/stats" | jq .users)" -ge "$N" ]; do sleep 0.1; done
  t1=$(now)
  local per_node=""
  if ((nodes > 1)); then
    per_node=$(api GET "/api/v1/provisioning-log?application_id=$app&limit=1000" |
      jq -r '[.entries[] | .node] | group_by(.) | map("\(.[0]) \(length)") | join(", ")')
    per_node=" (last 1000 log entries by node: $per_node)"
  fi
  echo "$(echo "$N / ($t1 - $t0)" | bc) $per_node"
}

sqlite=$(run sqlite "sqlite://$work/sqlite/provisio.db" 1)
psql "$pg_base/postgres" -qc 'CREATE DATABASE bench1' -c 'CREATE DATABASE bench2' >/dev/null
pg1=$(run pg1 "$pg_base/bench1" 1)
pg2=$(run pg2 "$pg_base/bench2" 2)
base=${sqlite%% *}
ratio() { echo "scale=2; ${1%% *} / $base" | bc; }
echo "users per configuration     $N (workers per node: $WORKERS)"
echo "SQLite, 1 node (baseline)   ${sqlite%% *} users/s  ratio 1.00"
echo "PostgreSQL, 1 node          ${pg1%% *} users/s  ratio $(ratio "$pg1")"
echo "PostgreSQL, 2 nodes         ${pg2%% *} users/s  ratio $(ratio "$pg2")${pg2#* }"
