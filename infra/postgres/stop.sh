#!/usr/bin/env bash
# Stops the PostgreSQL server started by start.sh from a data dir (fast shutdown); does nothing
# when none runs.
#   usage: infra/postgres/stop.sh <data dir>
set -euo pipefail
# shellcheck source=_common.sh
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

[[ $# -eq 1 ]] || pg_die "usage: $0 <data dir>"
dir="$1"
[[ -f "$dir/PG_VERSION" ]] || exit 0
pg_resolve_bin
if pg_run "$PG_BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  pg_run "$PG_BIN/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
  pg_log "stopped (data $dir)"
fi
