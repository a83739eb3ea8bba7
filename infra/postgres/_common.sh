#!/usr/bin/env bash
# Shared by start.sh and stop.sh: where Debian's PostgreSQL binaries are, and how to run them
# as an unprivileged user (PostgreSQL refuses to run as root).

pg_log() { printf '[postgres] %s\n' "$*" >&2; }
pg_die() { pg_log "error: $*"; exit 1; }

# PG_BIN, or the newest /usr/lib/postgresql/<version>/bin (Debian's `postgresql` package).
pg_resolve_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/pg_ctl" ]] || pg_die "PG_BIN=$PG_BIN has no pg_ctl"
    return
  fi
  local candidate
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -n "$candidate" && -x "$candidate/pg_ctl" ]] || pg_die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin: install Debian's package (apt-get install -y postgresql) or set PG_BIN"
  PG_BIN="$candidate"
}

# Runs a server binary as PG_OS_USER (default postgres) when we are root, else as ourselves.
pg_run() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u "${PG_OS_USER:-postgres}" -- "$@"
  else
    "$@"
  fi
}
