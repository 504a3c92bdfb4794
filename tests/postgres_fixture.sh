#!/usr/bin/env bash
# The CTest fixture "postgres": one throwaway PostgreSQL server on 127.0.0.1 shared by every
# test of a run (each test creates its own database on it).
#   postgres_fixture.sh start DIR   initdb in DIR/data, start on a free port, write DIR/url
#   postgres_fixture.sh stop DIR    stop it and remove DIR
# Runs the server as the postgres user when run as root, as PostgreSQL requires.
set -euo pipefail
cmd=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
if [[ -z $bin ]]; then
  echo "PostgreSQL is not installed (scripts/setup installs it)" >&2
  exit 1
fi
as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  return 1
}
case $cmd in
  start)
    if [[ -f $dir/url && -f $dir/data/postmaster.pid ]]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [[ $(id -u) == 0 ]] && chown postgres: "$dir"
    port=$(free_port)
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync off: a test server need not survive a power cut.
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://postgres@127.0.0.1:$port" >"$dir/url"
    echo "PostgreSQL on 127.0.0.1:$port ($dir)"
    ;;
  stop)
    if [[ -d $dir/data ]]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
