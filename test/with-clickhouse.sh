#!/usr/bin/env bash
# Runs a command against a fresh ClickHouse server (Debian's clickhouse-server) on its own port
# and data dir, with CLICKHOUSE_URL set, and stops the server whatever happens.
#   usage: test/with-clickhouse.sh <http port> <data dir> <command> [args...]
# The server also takes <http port> + 1 (native TCP).
exec bash "$(dirname "$0")/with-server.sh" clickhouse CLICKHOUSE_URL "$@"
