#!/usr/bin/env bash
# Runs a command against a fresh ClickHouse server (Debian's clickhouse-server) on its own port
# and data dir, with CLICKHOUSE_URL set, and stops the server whatever happens.
#   usage: test/with-clickhouse.sh <http port> <data dir> <command> [args...]
# The server also takes <http port> + 1 (native TCP).
set -euo pipefail
cd "$(dirname "$0")/.."

port="$1"
dir="$2"
shift 2

bash infra/clickhouse/stop.sh "$dir" >/dev/null 2>&1 || true
rm -rf -- "$dir"
trap 'bash infra/clickhouse/stop.sh "$dir"' EXIT
CLICKHOUSE_URL="$(bash infra/clickhouse/start.sh "$port" "$dir")"
export CLICKHOUSE_URL
"$@"
