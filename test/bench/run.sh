#!/usr/bin/env bash
# `make bench`: the benchmarks against a fresh local broker and a throwaway PostgreSQL server,
# each on its own port.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec bash test/with-broker.sh "${BENCH_KAFKA_PORT:-19192}" "$PWD/.data/bench/kafka" \
  bash test/with-postgres.sh "${BENCH_POSTGRES_PORT:-19194}" "$PWD/.data/bench/postgres" \
  node dist/test/bench/index.js
