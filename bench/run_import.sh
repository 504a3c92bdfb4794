#!/usr/bin/env bash
# Import/Sync benchmark (issue 8): a full import of N users into a fresh Provisio, once from
# `provisio-emulator scim2 --seed-users N` and once from a throwaway slapd loaded with N
# inetOrgPerson entries (slapadd), each timed through the admin API (POST
# applications/{id}/imports, then GET imports/{id} until it has succeeded). Each source's
# baseline is measured in the same run: the emulator's own listing of the same users (curl
# over GET /Users, 100 per page, as the SCIM connector asks: its page_size setting, which the
# admin API does not offer yet) and ldapsearch of the same entries
# (paged results, 500 per page). Every import runs in its own server process. Its memory is
# read from /proc/<pid>/status: VmRSS sampled every 0.2 s during the import (its peak is the
# import's), next to VmHWM before and after (the process's high-water mark, which the
# sign-in's Argon2id password hash sets at startup). Run with N=10000 and N=100000 to see
# whether memory grows with the source.
# Usage: bench/run_import.sh [N=100000] [BUILD_DIR=build]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
BIN="${2:-build}/bin"
work="$(mktemp -d /tmp/provisio-import-bench.XXXXXX)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT

now() { date +%s.%N; }
listen() {  # FILE: waits for "listening on URL" and prints URL
  for _ in $(seq 1 600); do
    grep -m1 -o 'http://[0-9.:]*' "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# serve NAME: a fresh server; sets srv_pid, url, and api() with a signed-in session.
serve() {
  PROVISIO_LOG_LEVEL=warn PROVISIO_BOOTSTRAP_ADMIN_EMAIL=bench@example.com \
    PROVISIO_BOOTSTRAP_ADMIN_PASSWORD='bench password 1' \
    "$BIN/provisio" serve --listen 127.0.0.1:0 --data-dir "$work/data-$1" \
    > "$work/srv-$1.out" 2>"$work/srv-$1.err" &
  srv_pid=$!
  pids+=("$srv_pid")
  url=$(listen "$work/srv-$1.out")
  jar="$work/jar-$1"
  csrf=$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password 1"}' "$url/api/v1/session" | jq -r .csrf_token)
}
api() { curl -fsS -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -X "$1" "$url$2" ${3:+-d "$3"}; }

# import CONNECTION_JSON TEMPLATE: creates the connection and an application, runs a full
# import; sets i_seconds, i_counts, i_rss_kb (peak sampled RSS during the import), i_hwm0_kb
# and i_hwm_kb (VmHWM before and after).
import() {
  local conn app run t_a t_b state rss
  conn=$(api POST /api/v1/connections "$1" | jq -r .id)
  app=$(api POST /api/v1/applications "{\"template\":\"$2\",\"name\":\"bench-$2\",\"capabilities\":[\"import_sync\"],\"connection_id\":\"$conn\"}" | jq -r .id)
  i_hwm0_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$srv_pid/status")
  i_rss_kb=0
  t_a=$(now)
  run=$(api POST "/api/v1/applications/$app/imports" '{"mode":"full"}' | jq -r .id)
  while :; do
    rss=$(awk '/^VmRSS/ {print $2}' "/proc/$srv_pid/status")
    [ "$rss" -gt "$i_rss_kb" ] && i_rss_kb=$rss
    state=$(api GET "/api/v1/imports/$run" | jq -r .state)
    [ "$state" = succeeded ] && break
    if [ "$state" = failed ]; then api GET "/api/v1/imports/$run" >&2; exit 1; fi
    sleep 0.2
  done
  t_b=$(now)
  i_seconds=$(echo "$t_b - $t_a" | bc)
  i_counts=$(api GET "/api/v1/imports/$run" | jq -c '.counts | {read, created, failed}')
  i_hwm_kb=$(awk '/^VmHWM/ {print $2}' "/proc/$srv_pid/status")
}

# --- SCIM emulator ---------------------------------------------------------------------
"$BIN/provisio-emulator" scim2 --listen 127.0.0.1:0 --token bench --seed-users "$N" \
  > "$work/emu.out" 2>/dev/null &
pids+=($!)
emu=$(listen "$work/emu.out")
t_a=$(now)
for ((start = 1; start <= N; start += 100)); do
  curl -fsS -o /dev/null -H 'Authorization: Bearer bench' "$emu/scim/v2/Users?startIndex=$start&count=100"
done
scim_list=$(echo "$(now) - $t_a" | bc)
serve scim
import "{\"name\":\"emu\",\"type\":\"scim2\",\"base_url\":\"$emu/scim/v2\",\"auth\":{\"kind\":\"bearer\",\"token\":\"bench\"}}" scim2
scim_seconds=$i_seconds scim_counts=$i_counts scim_rss=$i_rss_kb scim_hwm0=$i_hwm0_kb scim_hwm=$i_hwm_kb
kill "$srv_pid"; wait "$srv_pid" 2>/dev/null || true

# --- slapd -----------------------------------------------------------------------------
sd="$work/slapd"
mkdir -p "$sd/config" "$sd/data"
cat > "$sd/config.ldif" <<EOF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $sd/slapd.pid

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcDbDirectory: $sd/data
olcSuffix: dc=example,dc=com
olcRootDN: cn=admin,dc=example,dc=com
olcRootPW: slapd secret
olcDbMaxSize: 4294967296
olcSizeLimit: unlimited
olcDbIndex: objectClass eq
olcDbIndex: entryUUID eq
EOF
awk -v n="$N" 'BEGIN {
  print "dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n"
  print "dn: ou=people,dc=example,dc=com\nobjectClass: organizationalUnit\nou: people\n"
  for (i = 1; i <= n; i++) {
    u = sprintf("user%06d", i)
    printf "dn: uid=%s,ou=people,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: %s\ncn: Person %d\nsn: Family%d\ngivenName: Given%d\nmail: %s@example.com\ntitle: Engineer\n\n", u, u, i, i, i, u
  }
}' > "$sd/data.ldif"
slapadd -n 0 -F "$sd/config" -l "$sd/config.ldif" >/dev/null 2>&1
slapadd -q -n 1 -F "$sd/config" -l "$sd/data.ldif" >/dev/null 2>&1
ldap="ldap://127.0.0.1:$(free_port)"
/usr/sbin/slapd -h "$ldap/" -F "$sd/config" -d 0 2>/dev/null &
pids+=($!)
for _ in $(seq 1 200); do
  ldapsearch -x -LLL -H "$ldap" -s base -b dc=example,dc=com dn >/dev/null 2>&1 && break
  sleep 0.1
done
t_a=$(now)
ldapsearch -x -LLL -H "$ldap" -D cn=admin,dc=example,dc=com -w 'slapd secret' -E pr=500/noprompt \
  -b dc=example,dc=com '(objectClass=inetOrgPerson)' '*' entryUUID modifyTimestamp > "$work/ldapsearch.out"
ldap_list=$(echo "$(now) - $t_a" | bc)
ldap_entries=$(grep -c '^dn: ' "$work/ldapsearch.out")
serve ldap
import "{\"name\":\"dir\",\"type\":\"ldap\",\"base_url\":\"$ldap\",\"auth\":{\"kind\":\"basic\",\"username\":\"cn=admin,dc=example,dc=com\",\"password\":\"slapd secret\"},\"settings\":{\"base_dn\":\"dc=example,dc=com\"}}" ldap
ldap_seconds=$i_seconds ldap_counts=$i_counts ldap_rss=$i_rss_kb ldap_hwm0=$i_hwm0_kb ldap_hwm=$i_hwm_kb

rate() { echo "$N / $1" | bc; }
echo "users                              $N"
echo "SCIM emulator listing (baseline)   $(rate "$scim_list") users/s ($scim_list s)"
echo "import from the SCIM emulator      $(rate "$scim_seconds") records/s ($scim_seconds s) $scim_counts  ratio to the listing $(echo "scale=3; $scim_list / $scim_seconds" | bc)"
echo "  server RSS during the import     peak $((scim_rss / 1024)) MiB sampled; VmHWM $((scim_hwm0 / 1024)) MiB before, $((scim_hwm / 1024)) MiB after"
echo "ldapsearch (baseline)              $(rate "$ldap_list") entries/s ($ldap_list s, $ldap_entries entries)"
echo "import from slapd                  $(rate "$ldap_seconds") records/s ($ldap_seconds s) $ldap_counts  ratio to ldapsearch $(echo "scale=3; $ldap_list / $ldap_seconds" | bc)"
echo "  server RSS during the import     peak $((ldap_rss / 1024)) MiB sampled; VmHWM $((ldap_hwm0 / 1024)) MiB before, $((ldap_hwm / 1024)) MiB after"
