#!/usr/bin/env bash
# Stops the ClickHouse server started by start.sh from a data dir (SIGTERM, then SIGKILL after
# 30 s) and waits until it is gone; does nothing when none runs.
#   usage: infra/clickhouse/stop.sh <data dir>
set -euo pipefail
# shellcheck source=_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

[[ $# -eq 1 ]] || ch_die "usage: $0 <data dir>"
[[ -d "$1" ]] || exit 0
dir="$(cd -- "$1" && pwd)"

pid="$(ch_running_pid "$dir")" || { rm -f -- "$dir/clickhouse-server.pid"; exit 0; }
kill -TERM "$pid" 2>/dev/null || true
deadline=$(( SECONDS + 30 ))
while ch_alive "$pid"; do
  if (( SECONDS >= deadline )); then
    ch_log "pid $pid still there after 30 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$(( SECONDS + 10 ))
    while ch_alive "$pid" && (( SECONDS < deadline )); do sleep 0.1; done
    ch_alive "$pid" && ch_die "pid $pid survived SIGKILL"
    break
  fi
  sleep 0.1
done
rm -f -- "$dir/clickhouse-server.pid"
ch_log "stopped (data $dir)"
