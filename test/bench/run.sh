#!/usr/bin/env bash
# `make bench`: a fresh local broker on its own port, the benchmarks, then the broker stops.
set -euo pipefail
cd "$(dirname "$0")/../.."

export KAFKA_PORT="${BENCH_KAFKA_PORT:-19192}"
export KAFKA_CONTROLLER_PORT="${BENCH_KAFKA_CONTROLLER_PORT:-19193}"
export KAFKA_DATA_DIR="$PWD/.data/bench/kafka"
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"

bash infra/kafka/stop.sh >/dev/null 2>&1 || true
rm -rf -- "$KAFKA_DATA_DIR"
trap 'bash infra/kafka/stop.sh' EXIT
bash infra/kafka/start.sh
node dist/test/bench/index.js
