#!/usr/bin/env bash
# `make bench`: the benchmarks BENCH_PARTS names (default: the end-to-end run, which starts its own
# broker, and the codec). Component parts get what they need: a fresh local broker, a throwaway
# PostgreSQL server (projection) and a throwaway ClickHouse server (analytics: HTTP on its port,
# native TCP on the next), each on its own port.
set -euo pipefail
cd "$(dirname "$0")/../.."
export BENCH_PARTS="${BENCH_PARTS:-e2e,codec}"
needs() { [[ ",$BENCH_PARTS," == *",all,"* || ",$BENCH_PARTS," == *",$1,"* ]]; }
command=(node dist/test/bench/index.js)
if needs analytics; then
  command=(bash test/with-clickhouse.sh "${BENCH_CLICKHOUSE_PORT:-19196}" "$PWD/.data/bench/clickhouse" "${command[@]}")
fi
if needs projection; then
  command=(bash test/with-postgres.sh "${BENCH_POSTGRES_PORT:-19194}" "$PWD/.data/bench/postgres" "${command[@]}")
fi
if needs kafka || needs connector || needs api || needs projection || needs analytics || needs webhooks; then
  command=(bash test/with-broker.sh "${BENCH_KAFKA_PORT:-19192}" "$PWD/.data/bench/kafka" "${command[@]}")
fi
exec "${command[@]}"
