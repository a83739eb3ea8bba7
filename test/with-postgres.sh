#!/usr/bin/env bash
# Runs a command against a fresh PostgreSQL server (Debian's binaries) on its own port and data
# dir, with DATABASE_URL set, and stops the server whatever happens.
#   usage: test/with-postgres.sh <port> <data dir> <command> [args...]
exec bash "$(dirname "$0")/with-server.sh" postgres DATABASE_URL "$@"
