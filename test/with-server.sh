#!/usr/bin/env bash
# Runs a command against a fresh server of infra/<name> (its start.sh prints the URL) on its own
# port and data dir, with <env var> set to that URL, and stops the server whatever happens.
#   usage: test/with-server.sh <name> <env var> <port> <data dir> <command> [args...]
set -euo pipefail
cd "$(dirname "$0")/.."

name="$1"
variable="$2"
port="$3"
dir="$4"
shift 4

bash "infra/$name/stop.sh" "$dir" >/dev/null 2>&1 || true
rm -rf -- "$dir"
trap 'bash "infra/$name/stop.sh" "$dir"' EXIT
url="$(bash "infra/$name/start.sh" "$port" "$dir")"
export "$variable=$url"
"$@"
