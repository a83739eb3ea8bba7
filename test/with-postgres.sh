#!/usr/bin/env bash
# Runs a command against a fresh PostgreSQL server (Debian's binaries) on its own port and data
# dir, with DATABASE_URL set, and stops the server whatever happens.
#   usage: test/with-postgres.sh <port> <data dir> <command> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."

port="$1"
dir="$2"
shift 2

bash infra/postgres/stop.sh "$dir" >/dev/null 2>&1 || true
rm -rf -- "$dir"
trap 'bash infra/postgres/stop.sh "$dir"' EXIT
DATABASE_URL="$(bash infra/postgres/start.sh "$port" "$dir")"
export DATABASE_URL
"$@"
