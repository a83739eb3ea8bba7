#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server from Debian's `postgresql` package binaries on a port
# and data dir of its own (initialised on first use), waits until it accepts connections and
# prints its DATABASE_URL on stdout. Idempotent: an already running server of that dir is reused.
#   usage: infra/postgres/start.sh <port> <data dir>
# Env: PG_BIN (server binaries; default the newest /usr/lib/postgresql/*/bin),
#      PG_OS_USER (the user the server runs as when started by root; default postgres).
set -euo pipefail
# shellcheck source=_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

[[ $# -eq 2 ]] || pg_die "usage: $0 <port> <data dir>"
port="$1"
dir="$(mkdir -p -- "$2" && cd -- "$2" && pwd)"
pg_resolve_bin

if [[ "$(id -u)" == 0 ]]; then
  id "${PG_OS_USER:-postgres}" >/dev/null 2>&1 || pg_die "user ${PG_OS_USER:-postgres} does not exist (it comes with the postgresql package; or set PG_OS_USER)"
  chown "${PG_OS_USER:-postgres}" "$dir"
  pg_run test -w "$dir" || pg_die "${PG_OS_USER:-postgres} cannot write $dir (are its parent folders readable by others?)"
fi
chmod 700 "$dir"

if [[ ! -f "$dir/PG_VERSION" ]]; then
  pg_log "initialising a cluster in $dir"
  log="$(mktemp)"
  chmod 644 "$log"
  if ! pg_run "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$log" 2>&1; then
    cat "$log" >&2
    rm -f -- "$log"
    pg_die "initdb failed"
  fi
  rm -f -- "$log"
fi

url="postgresql://postgres@127.0.0.1:${port}/postgres"
if pg_run "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  pg_log "already running from $dir"
else
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    pg_die "port 127.0.0.1:$port is already in use"
  fi
  # A test server: no Unix socket (the data dir path may be too long for one), no fsync.
  pg_run "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
    start >/dev/null || { tail -n 50 "$dir/server.log" >&2 || true; pg_die "the server did not start"; }
  pg_log "running on 127.0.0.1:$port (data $dir)"
fi
echo "$url"
