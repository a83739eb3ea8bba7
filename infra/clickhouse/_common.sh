#!/usr/bin/env bash
# Shared by start.sh and stop.sh: where the ClickHouse server binary is, how to run it as an
# unprivileged user, which process serves a data dir, and how to ask it for /ping.

ch_log() { printf '[clickhouse] %s\n' "$*" >&2; }
ch_die() { ch_log "error: $*"; exit 1; }

# CH_CMD: the command that runs the server. CLICKHOUSE_BIN, else Debian's clickhouse-server
# (/usr/sbin, not on every PATH), else a `clickhouse` multi-call binary (which needs `server`).
ch_resolve_bin() {
  local bin="${CLICKHOUSE_BIN:-}"
  if [[ -z "$bin" ]]; then
    bin="$(command -v clickhouse-server || true)"
    [[ -n "$bin" ]] || { [[ -x /usr/sbin/clickhouse-server ]] && bin=/usr/sbin/clickhouse-server; }
    [[ -n "$bin" ]] || bin="$(command -v clickhouse || true)"
    [[ -n "$bin" ]] || ch_die "no clickhouse-server binary: install Debian's package (apt-get install -y clickhouse-server) or set CLICKHOUSE_BIN"
  fi
  [[ -x "$bin" ]] || ch_die "CLICKHOUSE_BIN=$bin is not an executable"
  if [[ "$(basename -- "$bin")" == clickhouse ]]; then
    CH_CMD=("$bin" server)
  else
    CH_CMD=("$bin")
  fi
}

# The user the server runs as when we are root (the package creates `clickhouse`).
ch_os_user() { printf '%s' "${CLICKHOUSE_OS_USER:-clickhouse}"; }

# Sets CH_AS_USER, the prefix that runs a command as ch_os_user when we are root (empty
# otherwise). setpriv, not runuser: it execs the command in place, so a backgrounded server's $!
# is the server's own pid.
ch_as_user() {
  CH_AS_USER=()
  if [[ "$(id -u)" == 0 ]]; then
    CH_AS_USER=(setpriv --reuid="$(ch_os_user)" --regid="$(id -g "$(ch_os_user)")" --init-groups --)
  fi
}

# Prints the pid of the server started from data dir $1, if one runs. The pid file alone is not
# trusted: the process must be the one whose command line names this dir's config file.
ch_running_pid() {
  local dir="$1" pid
  [[ -s "$dir/clickhouse-server.pid" ]] || return 1
  pid="$(tr -dc '0-9' <"$dir/clickhouse-server.pid")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--config-file=$dir/config.xml" || return 1
  printf '%s\n' "$pid"
}

# Succeeds while process $1 exists and is not a zombie (whoever reaps it may never do so).
ch_alive() {
  local state
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# Succeeds when http://127.0.0.1:$1/ping answers `Ok.` (plain bash: curl may be missing).
ch_ping() {
  local port="$1"
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET /ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    reply="$(timeout 5 cat <&3)" || exit 1
    [[ "$reply" == *$'\r\n\r\nOk.'* ]]
  ) 2>/dev/null
}

# Succeeds when something listens on 127.0.0.1:$1.
ch_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
