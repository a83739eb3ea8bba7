#!/usr/bin/env bash
# `make bench`: the benchmarks against a fresh local broker on its own port.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec bash test/with-broker.sh "${BENCH_KAFKA_PORT:-19192}" "$PWD/.data/bench/kafka" node dist/test/bench/index.js
