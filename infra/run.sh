#!/usr/bin/env bash
# `make run`: a local Kafka broker and every role supervised by `start all`, with the
# embedded defaults. Ctrl-C (or SIGTERM) drains the roles, then stops the broker.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATA_DIR="${DATA_DIR:-$PWD/.data}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
mkdir -p -- "$DATA_DIR"

bash infra/kafka/start.sh

node dist/services/cli/index.js start all &
backbone=$!

stop() {
  trap - INT TERM
  kill -TERM "$backbone" 2>/dev/null || true
  wait "$backbone" 2>/dev/null || true
  bash infra/kafka/stop.sh
}
trap stop INT TERM
wait "$backbone" || true
stop
