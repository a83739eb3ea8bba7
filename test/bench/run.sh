#!/usr/bin/env bash
# `make bench`: the benchmarks against a fresh local broker, a throwaway PostgreSQL server and a
# throwaway ClickHouse server (HTTP on its port, native TCP on the next), each on its own port.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec bash test/with-broker.sh "${BENCH_KAFKA_PORT:-19192}" "$PWD/.data/bench/kafka" \
  bash test/with-postgres.sh "${BENCH_POSTGRES_PORT:-19194}" "$PWD/.data/bench/postgres" \
  bash test/with-clickhouse.sh "${BENCH_CLICKHOUSE_PORT:-19196}" "$PWD/.data/bench/clickhouse" \
  node dist/test/bench/index.js
